import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadGenerated } from '../../src/db/index.ts';
import { prepareDatabase } from '../dataset/prepare-database.ts';
import { parseBenchArgs } from './args.ts';
import { rootDir } from './paths.ts';
import { ensureNativeNode } from './toolchain.ts';

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

/** What two Cairn servers under comparison share: the seeded PostgreSQL database, Node 22, and their environment. */
export async function comparisonSetup(viewer: string) {
  const args = parseBenchArgs(['--db', 'postgresql'], process.env);
  const generated = await loadGenerated(join(rootDir, 'examples', 'blog', 'src', 'generated'), 'postgresql');
  const database = await prepareDatabase(args, generated, (line) => console.log(line));
  const toolchain = ensureNativeNode((line) => console.log(line));
  if (!toolchain.ok) throw new Error(toolchain.reason);
  const env: Record<string, string> = {
    BENCH_URL: database.url,
    BENCH_PG_URL: database.pg!.url,
    BENCH_PG_SCHEMA: database.pg!.schema,
    BENCH_SQLITE_FILE: '',
    BENCH_POOL_SIZE: '10',
    BENCH_CAIRN_VIEWER: viewer,
  };
  return { args, database, node: toolchain.node, env };
}
