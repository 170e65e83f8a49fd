// `npm run bench:floor`: what the GraphQL layer alone costs on this machine, without a database.
// The `byId` query answered from a constant row by graphql-js on bare node:http and by graphql-yoga
// (Cairn's settings, none of its plugins), on the bench's Node 22, loaded like `npm run bench`.
// Compare with `npm run bench`'s CPU ms/req of PostGraphile and Cairn for byId (README "Benchmarks").
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetSizes } from './dataset/sizes.ts';
import { measureCell, probe } from './lib/load.ts';
import { benchDir } from './lib/paths.ts';
import { startServer } from './lib/server-process.ts';
import { ensureNativeNode } from './lib/toolchain.ts';
import { shapes } from './shapes.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' } } });
const toolchain = ensureNativeNode((line) => console.log(line));
if (!toolchain.ok) throw new Error(toolchain.reason);
const shape = shapes.find((s) => s.name === 'byId')!;
const size = datasetSizes.small;
const options = { connections: 10, warmup: 0, duration: Number(values.duration), size };

const floors = ['graphql-js', 'yoga'] as const;
const servers = await Promise.all(floors.map((floor) => startServer({ name: floor, script: join(benchDir, 'servers', 'floor.ts'), node: toolchain.node, env: { BENCH_FLOOR: floor } })));
try {
  const results = new Map<string, { cpu: number[]; rps: number[] }>(floors.map((f) => [f, { cpu: [], rps: [] }]));
  for (const server of servers) {
    await probe(server, 'cairn', shape, size);
    await measureCell(server, 'cairn', shape, { ...options, duration: 1 });
  }
  // Alternating cells, so machine noise hits both alike; medians.
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const server of round % 2 ? [...servers].reverse() : servers) {
      const cell = await measureCell(server, 'cairn', shape, options);
      results.get(server.name)!.cpu.push(cell.cpuMsPerRequest);
      results.get(server.name)!.rps.push(cell.rps);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\n${'byId, no database'.padEnd(20)} ${'req/s'.padStart(8)} ${'CPU ms/req'.padStart(11)}`);
  for (const [name, r] of results) console.log(`${name.padEnd(20)} ${median(r.rps).toFixed(0).padStart(8)} ${median(r.cpu).toFixed(3).padStart(11)}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
