import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaForProvider } from '../../src/db/index.ts';
import { runCli, type Io } from '../../src/cli/index.ts';
import { commands } from '../../src/cli/commands/index.ts';
import { createTestDatabases, providers, sql } from './helpers.ts';

/** A terminal that records lines and, when interactive, answers questions from a script. */
function fakeIo(options: { interactive?: boolean; answers?: string[] } = {}) {
  const lines = { out: [] as string[], err: [] as string[], asked: [] as string[] };
  const io: Io = {
    out: (line = '') => void lines.out.push(line),
    err: (line = '') => void lines.err.push(line),
    interactive: options.interactive ?? false,
    ask: async (question) => (lines.asked.push(question), options.answers?.shift() ?? ''),
  };
  return { io, lines, text: () => [...lines.out, ...lines.err].join('\n') };
}

const model = (extra = '') => `model Note {\n  id    Int    @id @default(autoincrement())\n  title String\n${extra}}\n`;

describe.each(providers)('cairn migrate commands on %s', { timeout: 60_000 }, (provider) => {
  const dbs = createTestDatabases(`cli_${provider}`);
  afterAll(() => dbs.cleanup());
  const schemaPath = join(dbs.dir, 'prisma', 'schema.prisma');
  const generatedDir = join(dbs.dir, 'generated');
  const env: Record<string, string> = { CAIRN_SCHEMA: schemaPath, CAIRN_GENERATED_DIR: generatedDir };
  const cairn = (argv: string[], io = fakeIo()) => runCli(argv, { io: io.io, env, cwd: dbs.dir }).then((code) => ({ code, ...io }));
  // An app that depends on Cairn: hints read `npx cairn …`.
  writeFileSync(join(dbs.dir, 'package.json'), JSON.stringify({ name: 'app', dependencies: { cairn: 'file:../cairn' } }));

  /** Writes schema.prisma and what `cairn generate` would leave for the engine, skipping the slow client generation. */
  function writeUserSchema(models: string) {
    mkdirSync(dirname(schemaPath), { recursive: true });
    const schema = `datasource db {\n  provider = "${provider}"\n}\n\n${models}`;
    writeFileSync(schemaPath, schema);
    const engineSchema = join(generatedDir, provider, 'schema.prisma');
    mkdirSync(dirname(engineSchema), { recursive: true });
    writeFileSync(engineSchema, schemaForProvider(schema, provider, dirname(engineSchema)));
  }

  it('migrate dev creates and applies a migration and prints what changed', async () => {
    env.DATABASE_URL = await dbs.create(provider);
    writeUserSchema(model());
    const { code, lines } = await cairn(['migrate', 'dev', '--name', 'notes']);
    expect(code).toBe(0);
    const other = provider === 'sqlite' ? 'postgresql' : 'sqlite';
    // The migration for DATABASE_URL's provider is applied; the other provider's is written beside it.
    expect(lines.out.join('\n')).toMatch(
      new RegExp(
        `✔ Created and applied (\\d{14}_notes) \\(prisma/migrations/${provider}/\\1/migration.sql\\):\\n {4}\\+ created table Note\\n` +
          `✔ Created \\1 for ${other} too \\(prisma/migrations/${other}/\\1/migration.sql, applied by \`npx cairn migrate deploy\` there\\):\\n {4}\\+ created table Note\\nDone in \\d`,
      ),
    );
    for (const p of [provider, other]) {
      expect(readFileSync(join(dbs.dir, 'prisma', 'migrations', p, 'migration_lock.toml'), 'utf8')).toMatch(`provider = "${p}"`);
    }
  });

  it('migrate dev refuses data loss without a terminal, and asks y/N with one', async () => {
    writeUserSchema(model('  body  String?\n'));
    expect((await cairn(['migrate', 'dev', '-n', 'body'])).code).toBe(0);
    await sql(env.DATABASE_URL!, `INSERT INTO "Note" ("title", "body") VALUES ('a', 'text')`);
    writeUserSchema(model());

    const refused = await cairn(['migrate', 'dev', '--name', 'drop body']);
    expect(refused.code).toBe(1);
    expect(refused.lines.err.join('\n')).toMatch(/would lose data[\s\S]*`body`[\s\S]*No terminal to ask in: pass --accept-data-loss/);

    const declined = await cairn(['migrate', 'dev', '--name', 'drop body'], fakeIo({ interactive: true, answers: ['n'] }));
    expect(declined.code).toBe(1);
    expect(declined.lines.asked).toEqual(['Create and apply this migration? [y/N] ']);

    const accepted = await cairn(['migrate', 'dev'], fakeIo({ interactive: true, answers: ['drop body', 'y'] }));
    expect(accepted.text()).toMatch(/- dropped column Note.body/);
    expect(accepted.code).toBe(0);
    expect(accepted.lines.asked).toEqual(['Name of the new migration: ', 'Create and apply this migration? [y/N] ']);
  });

  it('migrate deploy applies to a fresh database; status then exits 0, and 1 while something is pending', async () => {
    env.DATABASE_URL = await dbs.create(provider);
    const pending = await cairn(['migrate', 'status']);
    expect(pending.code).toBe(1);
    expect(pending.text()).toMatch(/3 migration\(s\) found[\s\S]*\(pending\)[\s\S]*Run `npx cairn migrate deploy`/);

    const deploy = await cairn(['migrate', 'deploy']);
    expect(deploy.code).toBe(0);
    expect(deploy.text()).toMatch(/3 migration\(s\) found in prisma\/migrations\/\w+\n {2}✔ \d{14}_notes\n {4}\+ created table Note[\s\S]*✔ Applied 3 migration\(s\) in /);
    expect((await cairn(['migrate', 'deploy'])).text()).toMatch(/No pending migrations to apply/);

    const status = await cairn(['migrate', 'status']);
    expect(status.text()).toMatch(/Database vs. its migrations: no drift\nschema.prisma vs. migrations: no drift\n✔ Database schema is up to date/);
    expect(status.code).toBe(0);
  });

  it('reports a failing migration with exit code 1 and the way out', async () => {
    const dir = join(dbs.dir, 'prisma', 'migrations', provider, '20990101000000_broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'migration.sql'), 'THIS IS NOT SQL;\n');
    const failed = await cairn(['migrate', 'deploy']);
    expect(failed.code).toBe(1);
    expect(failed.lines.err.join('\n')).toMatch(/✖ cairn migrate deploy failed: Migration 20990101000000_broken failed to apply/);
    const status = await cairn(['migrate', 'status', '--skip-drift']);
    expect(status.code).toBe(1);
    expect(status.text()).toMatch(/✖ 20990101000000_broken {2}\(failed[\s\S]*cairn migrate resolve --rolled-back 20990101000000_broken/);
  });
});

describe('cairn command line', { timeout: 60_000 }, () => {
  it.each(commands.map((c) => c.path.join(' ')))('`cairn %s --help` prints usage and exits 0', async (path) => {
    const { io, lines } = fakeIo();
    expect(await runCli([...path.split(' '), '--help'], { io, env: {} })).toBe(0);
    const command = commands.find((c) => c.path.join(' ') === path)!;
    expect(lines.out[0]).toBe(`Usage: cairn ${path}${command.usage ? ` ${command.usage}` : ''} [options]`);
    expect(lines.out.join('\n')).toMatch(/-h, --help/);
  });

  it('exits 2 on unknown commands and options, suggesting the command meant', async () => {
    const typo = fakeIo();
    expect(await runCli(['migrate', 'deplyo'], { io: typo.io, env: {} })).toBe(2);
    expect(typo.lines.err[0]).toBe('Unknown command `node src/cli/bin.js migrate deplyo`. Did you mean `node src/cli/bin.js migrate deploy`?');
    const unknown = fakeIo();
    expect(await runCli(['sideways'], { io: unknown.io, env: {} })).toBe(2);
    expect(unknown.lines.err[0]).toBe('Unknown command `node src/cli/bin.js sideways`.');
    const option = fakeIo();
    expect(await runCli(['migrate', 'deploy', '--force'], { io: option.io, env: {} })).toBe(2);
    expect(option.lines.err.join('\n')).toMatch(/Unknown option --force[\s\S]*`node src\/cli\/bin.js migrate deploy --help`/);
    // A group without its command is a wrong command line too (was 2 for `db`, 1 for `migrate`).
    for (const group of ['db', 'migrate']) {
      const bare = fakeIo();
      expect(await runCli([group], { io: bare.io, env: {} })).toBe(2);
      expect(bare.lines.err[0]).toMatch(new RegExp(`^\`node src/cli/bin.js ${group}\` needs a command: `));
    }
  });

  it('--version prints the version from package.json and exits 0', async () => {
    const { io, lines } = fakeIo();
    expect(await runCli(['--version'], { io, env: {} })).toBe(0);
    expect(lines.out).toEqual([JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version]);
  });

  it('prints hints the way the CLI runs here: npx cairn in an app, npm run cairn -- in this checkout', async () => {
    const app = createTestDatabases('cli_name');
    writeFileSync(join(app.dir, 'package.json'), JSON.stringify({ name: 'shop', dependencies: { cairn: 'file:../cairn' } }));
    const inApp = fakeIo();
    expect(await runCli(['migrate', 'sideways'], { io: inApp.io, env: {}, cwd: app.dir })).toBe(2);
    expect(inApp.lines.err[0]).toMatch(/^Unknown command `npx cairn migrate sideways`/);
    const viaNpm = fakeIo();
    await runCli(['migrate', 'sideways'], { io: viaNpm.io, env: { npm_package_name: 'cairn', npm_lifecycle_event: 'cairn' }, cwd: app.dir + '/nowhere' });
    expect(viaNpm.lines.err[0]).toMatch(/^Unknown command `npm run cairn -- migrate sideways`/);
    await app.cleanup();
  });

  it('runs the seed script with tsx and the database URL', async () => {
    const dbs = createTestDatabases('cli_seed');
    const seed = join(dbs.dir, 'seed.ts');
    writeFileSync(seed, `import { writeFileSync } from 'node:fs';\nconst n: number = 42;\nwriteFileSync(${JSON.stringify(join(dbs.dir, 'seeded'))}, process.env.DATABASE_URL + ' ' + n + ' ' + process.argv.slice(2).join(','));\n`);
    const { io, lines } = fakeIo();
    const code = await runCli(['seed', '--', 'a', 'b'], { io, env: { CAIRN_SEED: seed, DATABASE_URL: 'file:./x.db' }, cwd: dbs.dir });
    expect(code).toBe(0);
    expect(readFileSync(join(dbs.dir, 'seeded'), 'utf8')).toBe('file:./x.db 42 a,b');
    expect(lines.out.at(-1)).toMatch(/✔ Seeded in/);
    await dbs.cleanup();
  });

  it('src/cli/bin.js runs the TypeScript CLI', async () => {
    const bin = new URL('../../src/cli/bin.js', import.meta.url).pathname;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [bin, 'migrate', 'status', '--help'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(output).toMatch(/^Usage: cairn migrate status \[options\]/);
  });
});
