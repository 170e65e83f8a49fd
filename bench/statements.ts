// `npm run bench:statements`: SQL statements per request of every bench shape against Cairn, compared
// with bench/statements.json. A CI check, not a timing: requests go one at a time, counts are exact.
// Flags: --db sqlite,postgresql (default both) · --requests N (default 5) · --update (rewrite the baseline).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadGenerated } from '../src/db/index.ts';
import { prepareDatabase } from './dataset/prepare-database.ts';
import type { DatasetSize } from './dataset/sizes.ts';
import { parseBenchArgs, type BenchDb, type ServerName } from './lib/args.ts';
import { probe, requestBody, requestPath } from './lib/load.ts';
import { benchDir, rootDir } from './lib/paths.ts';
import { startServer, type ServerHandle } from './lib/server-process.ts';
import { shapes } from './shapes.ts';

/** Per request of one shape on one server: data statements and transaction bookkeeping. */
type Counts = { sql: number; tx: number };
type Baseline = Partial<Record<BenchDb, Partial<Record<ServerName, Record<string, Counts>>>>>;

const { values } = parseArgs({
  options: { db: { type: 'string', default: 'sqlite,postgresql' }, requests: { type: 'string', default: '5' }, update: { type: 'boolean', default: false } },
});
const dbs = values.db.split(',') as BenchDb[];
const requests = Number(values.requests);
const baselineFile = join(benchDir, 'statements.json');
const baseline: Baseline = existsSync(baselineFile) ? JSON.parse(readFileSync(baselineFile, 'utf8')) : {};
const measured: Baseline = {};
const servers = ['cairn', 'cairn-anon'] as const;
// Reads first: the write shapes add rows.
const ordered = [...shapes].sort((a, b) => Number(!!a.write) - Number(!!b.write));

for (const db of dbs) {
  const args = parseBenchArgs(['--db', db, '--runtime', 'tsx'], process.env);
  const generated = await loadGenerated(join(rootDir, 'examples', 'blog', 'src', 'generated'), db);
  const database = await prepareDatabase(args, generated, (line) => console.log(line));
  const env = { BENCH_URL: database.url, BENCH_PG_URL: database.pg?.url ?? '', BENCH_PG_SCHEMA: database.pg?.schema ?? '', BENCH_SQLITE_FILE: database.sqliteFile ?? '', BENCH_POOL_SIZE: '4' };
  const script = join(benchDir, 'servers', 'cairn.ts');
  const running: ServerHandle[] = [];
  try {
    for (const name of servers) {
      const server = await startServer({ name, script, env: { ...env, BENCH_CAIRN_VIEWER: name === 'cairn-anon' ? 'anonymous' : 'session' } });
      running.push(server);
      const counts: Record<string, Counts> = {};
      for (const shape of ordered) {
        if (name === 'cairn-anon' && shape.write) continue;
        await probe(server, name, shape, database.size); // warm: compiled plans, the session cache
        counts[shape.name] = await countPerRequest(server, name, shape, database.size);
      }
      (measured[db] ??= {})[name] = counts;
    }
  } finally {
    await Promise.all(running.map((server) => server.stop()));
  }
}

// Compare: any increase fails; a decrease passes and asks for the baseline to be lowered.
const increases: string[] = [];
const decreases: string[] = [];
const missing: string[] = [];
console.log(`\n${'db'.padEnd(11)}${'server'.padEnd(12)}${'shape'.padEnd(12)}${'SQL/req'.padStart(8)}${'baseline'.padStart(10)}${'tx/req'.padStart(8)}${'baseline'.padStart(10)}`);
for (const db of dbs) {
  for (const name of servers) {
    for (const [shape, now] of Object.entries(measured[db]?.[name] ?? {})) {
      const was = baseline[db]?.[name]?.[shape];
      console.log(`${db.padEnd(11)}${name.padEnd(12)}${shape.padEnd(12)}${fmt(now.sql).padStart(8)}${fmt(was?.sql).padStart(10)}${fmt(now.tx).padStart(8)}${fmt(was?.tx).padStart(10)}`);
      const where = `${db} ${name} ${shape}`;
      if (!was) missing.push(where);
      else if (now.sql > was.sql || now.tx > was.tx) increases.push(`${where}: SQL/req ${fmt(was.sql)} → ${fmt(now.sql)}, tx/req ${fmt(was.tx)} → ${fmt(now.tx)}`);
      else if (now.sql < was.sql || now.tx < was.tx) decreases.push(`${where}: SQL/req ${fmt(was.sql)} → ${fmt(now.sql)}, tx/req ${fmt(was.tx)} → ${fmt(now.tx)}`);
    }
  }
}
if (values.update) {
  const next: Baseline = { ...baseline, ...measured };
  writeFileSync(baselineFile, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`\nWrote ${baselineFile}`);
  process.exit(0);
}
for (const line of decreases) console.log(`fewer statements (lower the baseline: npm run bench:statements -- --update): ${line}`);
for (const line of missing) console.log(`not in the baseline (add it: npm run bench:statements -- --update): ${line}`);
for (const line of increases) console.error(`MORE STATEMENTS than the baseline: ${line}`);
console.log(increases.length ? `\n${increases.length} increase(s): failing` : '\nNo shape sends more statements than bench/statements.json');
process.exit(increases.length || missing.length ? 1 : 0);

function fmt(value: number | undefined): string {
  return value === undefined ? '—' : String(Math.round(value * 100) / 100);
}

/** The median over `requests` sequential requests (a session-cache expiry mid-run adds to one, not to the median). */
async function countPerRequest(server: ServerHandle, name: ServerName, shape: (typeof shapes)[number], size: DatasetSize): Promise<Counts> {
  const sql: number[] = [];
  const tx: number[] = [];
  const tag = `st${Date.now().toString(36)}`;
  for (let k = 1; k <= requests; k++) {
    await server.reset();
    const response = await fetch(`http://127.0.0.1:${server.port}${requestPath(server, shape)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: requestBody(name, shape, k, size, tag),
    });
    const json = (await response.json()) as { errors?: { message: string }[] };
    if (!response.ok || json.errors?.length) throw new Error(`${name} ${shape.name}: HTTP ${response.status} ${json.errors?.map((e) => e.message).join('; ')}`);
    const stats = await server.stats();
    sql.push(stats.data / stats.requests);
    tx.push(stats.control / stats.requests);
  }
  return { sql: median(sql), tx: median(tx) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
