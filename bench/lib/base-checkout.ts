import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rootDir } from './paths.ts';

/**
 * Another Cairn checkout to compare this one with (`--base`), its trailing slash dropped. A bare
 * worktree or `git archive` has neither dependencies nor generated clients: it borrows this checkout's.
 */
export function baseCheckout(dir: string): string {
  const base = dir.replace(/\/$/, '');
  if (!existsSync(join(base, 'bench', 'servers', 'cairn.ts'))) throw new Error('--base must be a Cairn checkout (with bench/servers/cairn.ts)');
  for (const path of ['node_modules', join('examples', 'blog', 'src', 'generated')]) {
    if (existsSync(join(base, path))) continue;
    mkdirSync(dirname(join(base, path)), { recursive: true });
    symlinkSync(join(rootDir, path), join(base, path));
  }
  return base;
}
