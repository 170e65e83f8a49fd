// Summarises a V8 .cpuprofile (from `npm run bench -- --profile cairn`): self time by package and
// by function, and inclusive time of chosen functions. Usage:
//   npx tsx bench/profile-summary.ts bench/results/profiles/cairn/CPU….cpuprofile [--top 25] [--from S] [--to S] [--focus fn,fn]
//     [--callers fn --depth 6]   (where fn's time comes from: the frames above it, summed per call path)
// --from/--to keep only samples in that window (seconds from the profile's start; the timeline
// printed first shows where the load ran), so start-up (tsx compiling, Prisma's wasm) is left out.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    focus: { type: 'string', default: '' },
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: 'Infinity' },
    callers: { type: 'string', default: '' },
    depth: { type: 'string', default: '6' },
  },
});
if (!positionals[0]) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--focus fn,fn]');
const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const top = Number(values.top);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
const selfMs = new Map<number, number>();
const busyPerSecond: number[] = [];
let at = 0;
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  at += ms;
  const second = Math.floor(at / 1000);
  if (!idle.has(id)) busyPerSecond[second] = (busyPerSecond[second] ?? 0) + ms;
  if (at / 1000 < Number(values.from) || at / 1000 > Number(values.to)) return;
  selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
});
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
console.log(`Busy % per second: ${Array.from(busyPerSecond, (ms) => Math.round((ms ?? 0) / 10)).join(' ')}`);

const packageOf = (url: string) => {
  if (!url) return '(native/idle)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('/src/generated/')) return 'src/generated (Prisma client)';
  if (url.includes('/src/')) return 'src (Cairn)';
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
};
const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${packageOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

const sum = (key: (node: ProfileNode) => string) => {
  const totals = new Map<string, number>();
  for (const [id, ms] of selfMs) totals.set(key(byId.get(id)!), (totals.get(key(byId.get(id)!)) ?? 0) + ms);
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
};
const print = (title: string, rows: [string, number][]) => {
  console.log(`\n${title}`);
  for (const [name, ms] of rows) console.log(`${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
};

console.log(`${positionals[0]}: ${total.toFixed(0)} ms sampled`);
print('Self time by package', sum((n) => packageOf(n.callFrame.url)));
print('Self time by function', sum(label));

// Inclusive time: a sample counts for every distinct function on its stack.
const focus = values.focus.split(',').filter(Boolean);
if (focus.length) {
  const inclusive = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (focus.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  }
  print('Inclusive time of --focus functions', [...inclusive].sort((a, b) => b[1] - a[1]));
}

// Callers: for every sample with --callers on its stack, the --depth frames above that function.
if (values.callers) {
  const paths = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
    const index = stack.findIndex((n) => n.callFrame.functionName === values.callers);
    if (index < 0) continue;
    const path = stack.slice(index, index + Number(values.depth) + 1).map(label).join('  <  ');
    paths.set(path, (paths.get(path) ?? 0) + ms);
  }
  print(`Call paths into ${values.callers}`, [...paths].sort((a, b) => b[1] - a[1]).slice(0, top));
}
