import { parseArgs } from 'node:util';

export type BenchDb = 'postgresql' | 'sqlite';
export type BenchSize = 'small' | 'large';
/** `cairn` sends a real session token (bearer) on every request; `cairn-anon` sends none. */
export const serverNames = ['raw', 'prisma', 'cairn', 'cairn-anon', 'postgraphile'] as const;
export type ServerName = (typeof serverNames)[number];

/** Everything one `npm run bench` invocation was asked to do, validated once. */
export interface BenchArgs {
  db: BenchDb;
  size: BenchSize;
  /** Measured seconds per cell (shape × server). */
  duration: number;
  /** Seconds of load before each measurement, discarded. */
  warmup: number;
  /** autocannon connections (kept open, one request in flight each). */
  connections: number;
  /** Dataset seed: the same seed gives the same rows. */
  seed: number;
  /** Subsets to run (all by default). */
  shapes?: string[];
  servers: ServerName[];
  /** Re-create the dataset even when one with the same fingerprint exists. */
  reseed: boolean;
  /** Write a V8 CPU profile of these servers to bench/results/profiles/. */
  profile: ServerName[];
  /**
   * How the Node servers (raw, prisma, cairn) run their TypeScript: `native` on a Node with type
   * stripping (≥ 22.18, as the Docker image runs Cairn), or through tsx's loader on the runner's
   * Node. PostGraphile is plain JS on Node 22 either way.
   */
  runtime: 'native' | 'tsx';
  /** PostgreSQL URL of the bench database (BENCH_DATABASE_URL), without `?schema`. */
  databaseUrl: string;
}

const usage = `npm run bench -- [options]
  --db postgresql|sqlite     database (default postgresql)
  --size small|large         dataset (default small; large is PostgreSQL only and takes minutes to seed)
  --duration S               measured seconds per cell (default 5)
  --warmup S                 warm-up seconds per cell (default 2)
  --connections N            concurrent connections (default 10)
  --seed N                   dataset seed (default 42)
  --shapes a,b               only these shapes (default all)
  --servers raw,prisma,...   only these servers (default raw,prisma,cairn,cairn-anon,postgraphile;
                             cairn: signed in with a bearer session token, cairn-anon: no credentials)
  --profile cairn,...        write .cpuprofile files of these servers to bench/results/profiles/
  --reseed                   rebuild the dataset
  --runtime native|tsx       how raw, prisma and cairn run TypeScript: Node ≥ 22.18's type stripping (default on
                             PostgreSQL; installs node@22 into bench/.node when this Node is older) or tsx (default on SQLite)
env BENCH_DATABASE_URL       PostgreSQL server and database (default postgresql://postgres@127.0.0.1:5432/cairn_bench)`;

export function parseBenchArgs(argv: string[], env: Record<string, string | undefined>): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: 'postgresql' },
      size: { type: 'string', default: 'small' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '10' },
      seed: { type: 'string', default: '42' },
      shapes: { type: 'string' },
      servers: { type: 'string', default: serverNames.join(',') },
      profile: { type: 'string', default: '' },
      reseed: { type: 'boolean', default: false },
      runtime: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const db = oneOf('--db', values.db, ['postgresql', 'sqlite'] as const);
  const size = oneOf('--size', values.size, ['small', 'large'] as const);
  if (db === 'sqlite' && size === 'large') throw new Error('--size large runs on PostgreSQL only (use --db postgresql)');
  return {
    db,
    size,
    duration: number('--duration', values.duration, 1, 3600),
    warmup: number('--warmup', values.warmup, 0, 600),
    connections: number('--connections', values.connections, 1, 1000),
    seed: number('--seed', values.seed, 0, 2 ** 31),
    shapes: values.shapes ? values.shapes.split(',') : undefined,
    servers: list('--servers', values.servers),
    profile: list('--profile', values.profile),
    reseed: values.reseed,
    // better-sqlite3 is built for the runner's Node, so SQLite runs stay on it.
    runtime: oneOf('--runtime', values.runtime ?? (db === 'sqlite' ? 'tsx' : 'native'), db === 'sqlite' ? (['tsx'] as const) : (['native', 'tsx'] as const)),
    databaseUrl: env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/cairn_bench',
  };
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!allowed.includes(raw as T)) throw new Error(`${flag} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function number(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${flag} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function list(flag: string, raw: string): ServerName[] {
  const names = raw.split(',').filter(Boolean);
  for (const name of names) oneOf(flag, name, serverNames);
  return names as ServerName[];
}
