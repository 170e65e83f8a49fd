import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCommand } from '../command.ts';
import { displayPath } from '../create-io.ts';
import { appFiles } from '../init/app-files.ts';
import { UsageError } from '../parse-args.ts';

/** This checkout of Cairn: what a new app's package.json depends on. */
const cairnRoot = fileURLToPath(new URL('../../..', import.meta.url));

export const initCommand = defineCommand({
  path: ['init'],
  usage: '[dir]',
  summary: 'Create a new app: schema with sign-in models and starter rules, seed, operations, package.json',
  description:
    'Writes <dir> (default: the current folder, which must be empty): prisma/schema.prisma (the auth models, a\n' +
    'starter model with rules, comments), prisma/seed.ts, operations/, .gitignore, README.md and a package.json\n' +
    'whose `cairn` dependency is this checkout (`file:`: Cairn is not published on npm). Then:\n' +
    '  cd <dir> && npm install && npx cairn dev',
  options: {},
  async run({ config, io }, { positionals }) {
    if (positionals.length > 1) throw new UsageError(`Expected at most one folder, got ${positionals.length}: ${positionals.join(' ')}.`);
    // Under `npm run cairn -- init <dir>` the script runs elsewhere; npm says where the user typed it.
    const base = process.env.INIT_CWD ?? config.cwd;
    const dir = resolve(base, positionals[0] ?? '.');
    if (existsSync(dir) && readdirSync(dir).length) {
      throw new Error(`${displayPath(dir, base)} is not empty; \`cairn init\` only writes into a new or empty folder.`);
    }
    const link = relative(dir, cairnRoot) || '.';
    const files = appFiles({ name: packageName(basename(dir)), cairnDependency: `file:${link.split('\\').join('/')}` });
    for (const [path, content] of Object.entries(files)) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    const shown = displayPath(dir, base);
    io.out(`✔ Created ${shown}/:`);
    for (const path of Object.keys(files)) io.out(`    ${path}`);
    io.out('\nNext:');
    if (shown !== '.') io.out(`  cd ${shown}`);
    io.out('  npm install        # links Cairn (a file: dependency on this checkout) and generates the clients');
    io.out('  npx cairn dev      # serves http://localhost:4000/graphql and reloads on every schema save');
  },
});

/** npm's rules: lower case, URL-safe. */
function packageName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[._-]+/, '') || 'cairn-app';
}
