import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const binPath = fileURLToPath(new URL('./bin.js', import.meta.url));
const cairnRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Cairn's version (package.json). */
export const cairnVersion = (): string => (JSON.parse(readFileSync(join(cairnRoot, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * How the user runs `cairn` here, so printed hints work when pasted: `npx cairn` in an app that
 * depends on Cairn, `npm run cairn --` in this checkout (where `npx cairn` would look on npm), else
 * the path of bin.js.
 */
export function cliName(env: NodeJS.ProcessEnv, cwd: string): string {
  const appPackage = join(cwd, 'package.json');
  if (existsSync(appPackage)) {
    const pkg = JSON.parse(readFileSync(appPackage, 'utf8')) as { name?: string; dependencies?: object; devDependencies?: object };
    if (pkg.name !== 'cairn' && ('cairn' in (pkg.dependencies ?? {}) || 'cairn' in (pkg.devDependencies ?? {}))) return 'npx cairn';
  }
  if (env.npm_package_name === 'cairn' && env.npm_lifecycle_event) return 'npm run cairn --';
  const rel = relative(cwd, binPath);
  return `node ${rel.startsWith('..') && rel.split('/').length > 4 ? binPath : rel}`;
}

/** Rewrites the `cairn …` commands quoted in a message to `name …`. */
export const withCliName = (text: string, name: string): string => (name === 'cairn' ? text : text.replace(/`cairn /g, `\`${name} `));

/** The closest known word to `word` (edit distance at most a third of its length, and 3), if any. */
export function closest(word: string, candidates: string[]): string | undefined {
  const scored = candidates.map((c) => ({ c, d: distance(word, c) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  return best && best.d <= Math.min(3, Math.max(1, Math.ceil(word.length / 3))) ? best.c : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
