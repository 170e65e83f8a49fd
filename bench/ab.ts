// `npx tsx bench/ab.ts --base <checkout>`: Cairn of another checkout (A, e.g. `git worktree add
// /tmp/cairn-base HEAD~1`) against this one (B), on PostgreSQL, in alternating short cells
// (A B B A …), so a busy machine's load falls on both alike; prints the median CPU ms/req and
// req/s of each and B's change. For deciding whether a change is worth keeping, not for the README table.
// Flags: --base DIR · --shapes a,b (default byId,page,nested,connection) · --rounds N (default 6)
//        --duration S (default 3) · --viewer session|anonymous (default session)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { baseCheckout, comparisonSetup } from './lib/comparison.ts';
import { measureCell, probe, type CellResult } from './lib/load.ts';
import { benchDir, rootDir } from './lib/paths.ts';
import { startServer, type ServerHandle } from './lib/server-process.ts';
import { shapes as allShapes } from './shapes.ts';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    shapes: { type: 'string', default: 'byId,page,nested,connection' },
    rounds: { type: 'string', default: '6' },
    duration: { type: 'string', default: '3' },
    viewer: { type: 'string', default: 'session' },
  },
});
if (!values.base) throw new Error('--base is required');
const base = baseCheckout(values.base);
const { args, database, node, env } = await comparisonSetup(values.viewer);
// Write shapes run only when named (create adds rows to the dataset; update rewrites a body).
const shapes = allShapes.filter((s) => values.shapes.split(',').includes(s.name));
const rounds = Number(values.rounds);
const options = { connections: args.connections, warmup: 0, duration: Number(values.duration), size: database.size };

const servers: ServerHandle[] = [];
try {
  const a = await startServer({ name: 'A', script: join(base, 'bench', 'servers', 'cairn.ts'), node, env });
  servers.push(a);
  const b = await startServer({ name: 'B', script: join(benchDir, 'servers', 'cairn.ts'), node, env });
  servers.push(b);
  console.log(`A: ${base}\nB: ${rootDir}\n${rounds} rounds × ${options.duration} s per server and shape, alternating\n`);
  console.log(`${'shape'.padEnd(11)} ${'A CPU ms/req'.padStart(13)} ${'B CPU ms/req'.padStart(13)} ${'B vs A'.padStart(8)} ${'A req/s'.padStart(8)} ${'B req/s'.padStart(8)}`);
  for (const shape of shapes) {
    const results: Record<'A' | 'B', CellResult[]> = { A: [], B: [] };
    for (const server of [a, b]) {
      await probe(server, 'cairn', shape, database.size);
      await measureCell(server, 'cairn', shape, { ...options, duration: 1 }); // warm-up
    }
    for (let round = 0; round < rounds; round++) {
      for (const server of round % 2 ? [b, a] : [a, b]) results[server.name as 'A' | 'B'].push(await measureCell(server, 'cairn', shape, options));
    }
    const cpu = (side: 'A' | 'B') => median(results[side].map((r) => r.cpuMsPerRequest));
    const rps = (side: 'A' | 'B') => median(results[side].map((r) => r.rps));
    const change = (cpu('B') / cpu('A') - 1) * 100;
    console.log(
      `${shape.name.padEnd(11)} ${cpu('A').toFixed(3).padStart(13)} ${cpu('B').toFixed(3).padStart(13)} ${`${change >= 0 ? '+' : ''}${change.toFixed(1)}%`.padStart(8)} ${rps('A').toFixed(0).padStart(8)} ${rps('B').toFixed(0).padStart(8)}`,
    );
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
