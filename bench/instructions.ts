// `npx tsx bench/instructions.ts [--base <checkout>]`: machine instructions per request of Cairn,
// counted by valgrind's callgrind, on PostgreSQL. CPU time on a shared 2-core host swings by ±8 %
// between identical runs (bench/ab.ts needs many rounds to see a 3 % change); the main thread's
// instruction count repeats within about 1.5 %, so small changes can be told apart. Requests go
// one at a time (no scheduling in the count); only the server's main thread is counted, after a
// warm-up, with instrumentation switched on for the measured requests alone.
// Flags: --base DIR (another checkout, counted the same way first; its bench/servers/cairn.ts must
//        pass CAIRN_* settings through, as this one does: copy it over for an older commit)
//        · --shapes a,b (default byId,page) · --warmup N (default 1000) · --requests N (default 300)
// Needs valgrind (Debian package `valgrind`). A server starts in about a minute under it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { baseCheckout, comparisonSetup } from './lib/comparison.ts';
import { requestBody, requestPath } from './lib/load.ts';
import { rootDir } from './lib/paths.ts';
import { startServer, type ServerHandle } from './lib/server-process.ts';
import { shapes as allShapes, type Shape } from './shapes.ts';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    shapes: { type: 'string', default: 'byId,page' },
    warmup: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '300' },
  },
});
const setup = await comparisonSetup('session');
const { database } = setup;
const shapes = allShapes.filter((s) => values.shapes.split(',').includes(s.name) && !s.write);
const env = {
  ...setup.env,
  // Work that runs on a clock would land in the count by how long the (slowed) requests take:
  // the session cache's refresh lookup is put off past the run, job polling to once a minute.
  CAIRN_JOBS_POLL_MS: '60000',
  CAIRN_SESSION_CACHE_MS: '3600000',
  CAIRN_SESSION_PURGE_MS: '0',
};

const work = mkdtempSync(join(tmpdir(), 'cairn-callgrind-'));
// fork() runs its execPath with Node's flags and the script: valgrind in front of the real node.
const wrapper = join(work, 'node');
writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --smc-check=all-non-file --callgrind-out-file=${work}/out.%p '${setup.node}' "$@" 2>>${work}/valgrind.log\n`);
chmodSync(wrapper, 0o755);

const send = async (server: ServerHandle, shape: Shape, k: number) => {
  const response = await fetch(`http://127.0.0.1:${server.port}${requestPath(server, shape)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...server.headers },
    body: requestBody('cairn', shape, k, database.size, 'cg'),
  });
  const json = (await response.json()) as { errors?: unknown[] };
  if (!response.ok || json.errors) throw new Error(`${shape.name}: HTTP ${response.status} ${JSON.stringify(json.errors)}`);
};

/** Instructions per request of each shape for the checkout at `dir`. */
async function count(dir: string): Promise<Map<string, number>> {
  const server = await startServer({ name: 'callgrind', script: join(dir, 'bench', 'servers', 'cairn.ts'), node: wrapper, env });
  const result = new Map<string, number>();
  try {
    for (const shape of shapes) {
      for (let k = 0; k < Number(values.warmup); k++) await send(server, shape, k);
      callgrind(server.pid, ['--zero']);
      callgrind(server.pid, ['--instr=on']);
      for (let k = 0; k < Number(values.requests); k++) await send(server, shape, k);
      callgrind(server.pid, ['--instr=off']);
      callgrind(server.pid, ['--dump']);
      result.set(shape.name, lastDumpTotal(server.pid) / Number(values.requests));
    }
  } finally {
    await server.stop();
  }
  return result;
}

const callgrind = (pid: number, flags: string[]) => execFileSync('callgrind_control', [...flags, String(pid)], { stdio: 'ignore' });

/**
 * The main thread's instructions in the newest dump callgrind wrote for `pid` (one file per thread
 * with --separate-threads: `out.<pid>.<part>-<thread>`). The other threads are V8's optimizing
 * compiler and GC helpers, whose share depends on when V8 decides to (re)compile: up to half the
 * total, and the reason whole-process counts do not repeat.
 */
function lastDumpTotal(pid: number): number {
  const dumps = readdirSync(work)
    .map((f) => [f, /^out\.(\d+)\.(\d+)-(\d+)$/.exec(f)] as const)
    .filter(([, m]) => m && Number(m[1]) === pid && Number(m[3]) === 1)
    .sort((a, b) => Number(a[1]![2]) - Number(b[1]![2]));
  const file = dumps.at(-1)?.[0];
  if (!file) throw new Error(`no callgrind dump for ${pid}`);
  const total = /^totals: (\d+)/m.exec(readFileSync(join(work, file), 'utf8'));
  if (!total) throw new Error(`no totals in ${file}`);
  return Number(total[1]);
}

try {
  const base = values.base && baseCheckout(values.base);
  const a = base ? await count(base) : undefined;
  const b = await count(rootDir);
  console.log(`\n${'shape'.padEnd(11)} ${base ? `${'A instr/req'.padStart(13)} ` : ''}${'B instr/req'.padStart(13)}${base ? '   B vs A' : ''}`);
  for (const shape of shapes) {
    const [x, y] = [a?.get(shape.name), b.get(shape.name)!];
    const change = x ? ` ${`${y >= x ? '+' : ''}${((y / x - 1) * 100).toFixed(2)}%`.padStart(8)}` : '';
    console.log(`${shape.name.padEnd(11)} ${x ? `${(x / 1000).toFixed(0).padStart(12)}k ` : ''}${(y / 1000).toFixed(0).padStart(12)}k ${change}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
