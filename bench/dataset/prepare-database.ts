import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pushSchema, type Generated } from '../../src/db/index.ts';
import type { BenchArgs } from '../lib/args.ts';
import { benchDir } from '../lib/paths.ts';
import { datasetTables } from './generate.ts';
import { seedPostgres } from './seed-postgres.ts';
import { seedSqlite } from './seed-sqlite.ts';
import { datasetSizes, type DatasetSize } from './sizes.ts';

/** Where the dataset lives, as each kind of server needs to be told. */
export interface BenchDatabase {
  /** DATABASE_URL for Prisma and Cairn (`?schema=` on PostgreSQL, `file:` on SQLite). */
  url: string;
  /** PostgreSQL: the server's URL without `?schema`, and the schema holding the tables. */
  pg?: { url: string; schema: string };
  /** SQLite: the database file. */
  sqliteFile?: string;
  size: DatasetSize;
}

/** Bump when the generator changes, so existing datasets are rebuilt. */
const GENERATOR_VERSION = 2;

/**
 * Creates the bench database if missing, brings its tables in line with the example schema and
 * seeds it unless a dataset with the same fingerprint is already there. Rows that earlier runs'
 * write shapes added are removed, so every run reads the same data.
 */
export async function prepareDatabase(args: BenchArgs, generated: Generated, log: (line: string) => void): Promise<BenchDatabase> {
  const size = datasetSizes[args.size];
  // The schema is part of the fingerprint: a changed example app gets a fresh dataset.
  const schemaHash = createHash('sha256').update(readFileSync(generated.schemaPath)).digest('hex').slice(0, 16);
  const fingerprint = JSON.stringify({ v: GENERATOR_VERSION, seed: args.seed, schema: schemaHash, ...size });
  // The bench database is disposable: a schema change that drops columns is applied, then reseeded.
  const push = (databaseUrl: string) => pushSchema({ databaseUrl, schemaPath: generated.schemaPath, acceptDataLoss: true });
  const tables = () => datasetTables(size, args.seed);

  if (args.db === 'sqlite') {
    const dir = join(benchDir, '.data');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${args.size}.db`);
    const url = `file:${file}`;
    await push(url);
    const stamp = `${file}.seed.json`;
    const db = new Database(file);
    if (args.reseed || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== fingerprint) {
      log(`Seeding SQLite ${file} (${args.size}, seed ${args.seed})`);
      seedSqlite(db, tables(), log);
      writeFileSync(stamp, fingerprint);
    }
    db.prepare('DELETE FROM "Post" WHERE id > ?').run(size.posts);
    db.prepare('DELETE FROM "Comment" WHERE id > ?').run(size.comments);
    db.close();
    return { url, sqliteFile: file, size };
  }

  const server = new URL(args.databaseUrl);
  const schema = server.searchParams.get('schema') ?? `bench_${args.size}`;
  server.searchParams.delete('schema');
  await ensureDatabase(server);
  const url = new URL(server);
  url.searchParams.set('schema', schema);
  await push(url.toString());

  const client = new pg.Client({ connectionString: server.toString(), options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS cairn_bench_meta');
    await client.query('CREATE TABLE IF NOT EXISTS cairn_bench_meta.seeds (target text PRIMARY KEY, fingerprint text NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query('SELECT fingerprint FROM cairn_bench_meta.seeds WHERE target = $1', [schema]);
    if (args.reseed || rows[0]?.fingerprint !== fingerprint) {
      log(`Seeding PostgreSQL ${server.pathname.slice(1)}, schema ${schema} (${args.size}, seed ${args.seed})`);
      await seedPostgres(client, tables(), log);
      await client.query(
        'INSERT INTO cairn_bench_meta.seeds (target, fingerprint) VALUES ($1, $2) ON CONFLICT (target) DO UPDATE SET fingerprint = $2, seeded_at = now()',
        [schema, fingerprint],
      );
    }
    await client.query('DELETE FROM "Post" WHERE id > $1', [size.posts]);
    await client.query('DELETE FROM "Comment" WHERE id > $1', [size.comments]);
  } finally {
    await client.end();
  }
  return { url: url.toString(), pg: { url: server.toString(), schema }, size };
}

async function ensureDatabase(server: URL): Promise<void> {
  const name = decodeURIComponent(server.pathname.slice(1));
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
