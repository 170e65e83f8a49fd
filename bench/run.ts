// `npm run bench`: Cairn against raw SQL, plain Prisma and PostGraphile on one seeded database.
// Flags: `npm run bench -- --help`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClients, loadGenerated } from '../src/db/index.ts';
import { prepareDatabase } from './dataset/prepare-database.ts';
import { parseBenchArgs, type ServerName } from './lib/args.ts';
import { measureCell, probe } from './lib/load.ts';
import { machineInfo } from './lib/machine.ts';
import { benchDir, rootDir } from './lib/paths.ts';
import { formatTables, ratios, type Cell } from './lib/report.ts';
import { startServer, type ServerHandle } from './lib/server-process.ts';
import { ensureNativeNode, ensurePostgraphileToolchain } from './lib/toolchain.ts';
import { shapes as allShapes } from './shapes.ts';

const args = parseBenchArgs(process.argv.slice(2), process.env);
const log = (line: string) => console.log(line);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const started = Date.now();

const unknownShapes = (args.shapes ?? []).filter((name) => !allShapes.some((s) => s.name === name));
if (unknownShapes.length) throw new Error(`Unknown shape(s) ${unknownShapes.join(', ')}; known: ${allShapes.map((s) => s.name).join(', ')}`);
// Reads first: the write shapes add and change rows, and every server must read the same data.
const shapes = allShapes.filter((s) => !args.shapes || args.shapes.includes(s.name)).sort((a, b) => Number(!!a.write) - Number(!!b.write));

const appDir = join(rootDir, 'examples', 'blog');
const generatedDir = join(appDir, 'src', 'generated');
if (!existsSync(join(generatedDir, args.db, 'datamodel.json'))) {
  log('Generating Prisma clients (examples/blog/src/generated)…');
  const cli = join(rootDir, 'src', 'cli', 'bin.js');
  if (existsSync(cli)) {
    const result = spawnSync(process.execPath, [cli, 'generate'], { cwd: appDir, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`\`node src/cli/bin.js generate\` failed (exit ${result.status})`);
  } else {
    await generateClients({ schemaPath: join(appDir, 'prisma', 'schema.prisma'), outDir: generatedDir });
  }
}
const generated = await loadGenerated(generatedDir, args.db);
const database = await prepareDatabase(args, generated, log);
log(`${elapsed()}  database ready`);
const machine = await machineInfo(database);
log(`${machine.database} · ${machine.cpu} × ${machine.cores} · ${machine.memoryGb} GB · Node ${machine.node}`);
log(`dataset ${args.size} (seed ${args.seed}) · ${args.connections} connections · ${args.warmup} s warm-up · ${args.duration} s per cell\n`);

const scripts: Record<ServerName, string> = {
  raw: join(benchDir, 'servers', args.db === 'postgresql' ? 'raw-pg.ts' : 'raw-sqlite.ts'),
  prisma: join(benchDir, 'servers', 'prisma.ts'),
  cairn: join(benchDir, 'servers', 'cairn.ts'),
  'cairn-anon': join(benchDir, 'servers', 'cairn.ts'),
  postgraphile: join(benchDir, 'postgraphile', 'server.mjs'),
};
const env = {
  BENCH_URL: database.url,
  BENCH_PG_URL: database.pg?.url ?? '',
  BENCH_PG_SCHEMA: database.pg?.schema ?? '',
  BENCH_SQLITE_FILE: database.sqliteFile ?? '',
  BENCH_POOL_SIZE: '10',
};
const serverEnv = (name: ServerName) => (name.startsWith('cairn') ? { ...env, BENCH_CAIRN_VIEWER: name === 'cairn-anon' ? 'anonymous' : 'session' } : env);
/** Why a server has no cell for a shape (PostGraphile's missing nested create; anonymous writes). */
const notApplicable = (name: ServerName, shape: (typeof shapes)[number]) =>
  name === 'postgraphile' && 'na' in shape.postgraphile
    ? shape.postgraphile.na
    : name === 'cairn-anon' && shape.write
      ? 'anonymous visitors may not write (the example app\'s rules refuse it)'
      : undefined;

const running = new Map<ServerName, ServerHandle>();
/** Which Node ran each server, and how it ran TypeScript. */
const runtimes: Partial<Record<ServerName, string>> = {};
const unavailable = new Map<ServerName, string>();
const cells: Cell[] = [];
try {
  for (const name of args.servers) {
    let node: string | undefined;
    if (name !== 'postgraphile' && args.runtime === 'native') {
      const toolchain = ensureNativeNode(log);
      if (!toolchain.ok) throw new Error(`--runtime native: ${toolchain.reason} (use --runtime tsx)`);
      node = toolchain.node;
    }
    if (name === 'postgraphile') {
      if (args.db !== 'postgresql') {
        unavailable.set(name, 'PostGraphile serves PostgreSQL only');
        continue;
      }
      const toolchain = ensurePostgraphileToolchain(log);
      if (!toolchain.ok) {
        unavailable.set(name, toolchain.reason);
        log(`postgraphile: n/a — ${toolchain.reason}`);
        continue;
      }
      node = toolchain.node;
    }
    try {
      running.set(name, await startServer({ name, script: scripts[name], node, env: serverEnv(name), profile: args.profile.includes(name) }));
      runtimes[name] = describeRuntime(name, node);
      log(`${elapsed()}  ${name} server ready (${runtimes[name]})`);
    } catch (error) {
      unavailable.set(name, (error as Error).message.split('\n')[0]!);
      log(`${name}: n/a — ${(error as Error).message}`);
    }
  }

  for (const shape of shapes) {
    let reference: string | undefined;
    for (const name of args.servers) {
      const server = running.get(name);
      const na = !server ? unavailable.get(name)! : notApplicable(name, shape);
      if (na || !server) {
        cells.push({ shape: shape.name, server: name, na: na ?? 'not started' });
        continue;
      }
      let summary: string;
      try {
        const data = await probe(server, name, shape, database.size);
        summary = JSON.stringify(name === 'postgraphile' && shape.summarizePostgraphile ? shape.summarizePostgraphile(data) : shape.summarize(data));
      } catch (error) {
        cells.push({ shape: shape.name, server: name, na: `request failed: ${(error as Error).message}` });
        log(`${shape.name.padEnd(11)} ${name.padEnd(13)} n/a — ${(error as Error).message}`);
        continue;
      }
      // Anonymous answers are rule-filtered (no drafts, no private fields), so they differ by design.
      if (name !== 'cairn-anon') reference ??= summary;
      const mismatch = name === 'cairn-anon' || summary === reference ? undefined : `${summary.slice(0, 80)} vs ${reference!.slice(0, 80)}`;
      const result = await measureCell(server, name, shape, { ...args, size: database.size });
      cells.push({ shape: shape.name, server: name, result, mismatch });
      log(
        `${elapsed()}  ${shape.name.padEnd(11)} ${name.padEnd(13)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
          `SQL/req ${result.sqlPerRequest.toFixed(2)}  server CPU ${result.cpuMsPerRequest.toFixed(2)} ms/req  load generator ${result.loadCpuPercent.toFixed(0)}% CPU`,
      );
    }
  }
} finally {
  await Promise.all([...running.values()].map((server) => server.stop()));
}

const ratioRows = ratios(shapes, cells);
const nested = cells.find((c) => c.shape === 'nested' && c.server === 'cairn');
const nestedRss = nested && 'result' in nested ? nested.result.peakRssMb : undefined;
console.log(`\n${formatTables(shapes, args.servers, cells, ratioRows)}`);
console.log(`\nCairn peak RSS under the nested shape: ${nestedRss?.toFixed(0) ?? '—'} MB (target < 150 MB)`);
console.log(`SQL/req and tx/req: statements each server process sent through its driver, per request it served.`);
console.log('ownPosts is EMULATED: a plain `where authorId = me` filter, not the access rules.');
console.log("cairn: every request carried a real session token (bearer, looked up as in production) of user 1 with the admin role (rules admit every row); cairn-anon: no credentials (rules filter).");

const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
const output = {
  date: new Date().toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  machine,
  options: {
    db: args.db, size: args.size, seed: args.seed, connections: args.connections, warmup: args.warmup, duration: args.duration,
  },
  runtimes,
  dataset: database.size,
  shapes: shapes.map((s) => ({ name: s.name, title: s.title, write: !!s.write })),
  cells,
  ratios: ratioRows,
  cairnNestedPeakRssMb: nestedRss,
  notes: [
    'SQL/req counts data statements (SELECT/INSERT/UPDATE/DELETE/WITH) sent through pg.Client.prototype.query (or better-sqlite3 Statement methods) in each server process; tx/req counts BEGIN/COMMIT/SAVEPOINT/SET.',
    'ownPosts is emulated as a plain where filter (authorId = me), not through access rules.',
    "cairn: every request carried a bearer session token of user 1 (admin role), looked up as in production; cairn-anon: anonymous requests (rules filter, writes n/a).",
  ],
};
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
console.log(`\nWrote bench/results/latest.json (${output.seconds} s)`);

function describeRuntime(name: ServerName, node: string | undefined): string {
  const version = node ? spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim() : process.version;
  return `Node ${version}${name === 'postgraphile' ? '' : node ? ', type stripping' : ', tsx'}`;
}
