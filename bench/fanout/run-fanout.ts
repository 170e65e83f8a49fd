// Fan-out bench: N graphql-ws subscribers (one connection each; mixed viewers) on one Cairn
// instance, or split over two sharing Redis; one write -> time until each subscriber has it.
// Usage: node --import tsx bench/fanout/run-fanout.ts [--subscribers 1000,5000] [--instances 1,2] [--rounds 5]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce<string[][]>((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1] ?? '']] : pairs), []));
const sizes = (args.subscribers ?? '1000,5000').split(',').map(Number);
const instanceCounts = (args.instances ?? '1,2').split(',').map(Number);
const rounds = Number(args.rounds ?? 5);
const redisUrl = args.redis ?? 'redis://127.0.0.1:6379';
const server = fileURLToPath(new URL('./fanout-server.ts', import.meta.url));

interface Instance {
  child: ChildProcess;
  port: number;
  request<T>(message: object, reply: string): Promise<T>;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = fork(server, [], { execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, ((m: any) => void)[]>();
  child.on('message', (m: any) => waiting.get(m.type)?.shift()?.(m));
  const once = <T>(type: string) => new Promise<T>((resolve) => waiting.set(type, [...(waiting.get(type) ?? []), resolve]));
  const { port } = await once<{ port: number }>('ready');
  return { child, port, request: (message, reply) => { const p = once<any>(reply); child.send(message); return p; } };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function run(size: number, instances: number) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-fanout-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${join(dir, 'fanout.db')}`;
  const prefix = `bench:${process.pid}:${size}:${instances}:`;
  const env = { DATABASE_URL: databaseUrl, ...(instances > 1 && { REDIS_URL: redisUrl, CAIRN_REDIS_PREFIX: prefix }) };
  const first = await startInstance({ ...env, BENCH_PUSH: '1' });
  const servers = [first, ...(await Promise.all(Array.from({ length: instances - 1 }, () => startInstance(env))))];
  // Author (user 1) and 20 members of one conversation.
  for (let i = 1; i <= 21; i++) await first.request({ type: 'write', model: 'User', data: { email: `u${i}@bench.test` } }, 'written');
  await first.request({ type: 'write', model: 'Conversation', data: { title: 'bench', startedById: 1 } }, 'written');
  for (let i = 2; i <= 21; i++) await first.request({ type: 'write', model: 'ConversationMember', data: { conversationId: 1, userId: i } }, 'written');

  const idle = await Promise.all(servers.map((s) => s.request<any>({ type: 'stats', gc: true }, 'stats')));
  const received: number[][] = [];
  const clients: Client[] = [];
  let errors = 0;
  let lastError: unknown;
  const kinds = ['anonymous', 'author', 'member'] as const;
  const waitFor = async (ready: () => boolean | Promise<boolean>, what: string) => {
    for (;;) {
      if (await ready()) return;
      if (errors) throw new Error(`${errors} subscribers failed (${what}): ${String((lastError as Error)?.message ?? JSON.stringify(lastError))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  // Connections first (connection_init acknowledged), then one subscription on each: the two costs
  // are measured apart, since a real client multiplexes its subscriptions over one connection.
  let connected = 0;
  for (let i = 0; i < size; i++) {
    const kind = kinds[i % 3]!;
    const target = servers[i % servers.length]!;
    const params = kind === 'anonymous' ? {} : { as: kind === 'author' ? 1 : 2 + (i % 20) };
    const client = createClient({ url: `ws://127.0.0.1:${target.port}/graphql`, connectionParams: params, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: (e) => void (errors += 1, lastError = e) });
    client.on('connected', () => void (connected += 1));
    clients.push(client);
    // Open connections in steps the servers' accept backlog takes (a burst of thousands is reset).
    if (i % 100 === 99) await waitFor(() => connected >= i + 1 - 100, 'connecting');
    if (i % 1000 === 999) console.error(`${i + 1} connections open`);
  }
  await waitFor(() => connected >= size, 'connecting');
  const open = await Promise.all(servers.map((s) => s.request<any>({ type: 'stats', gc: true }, 'stats')));
  const streamsOpen = async (n: number) => (await Promise.all(servers.map((s) => s.request<any>({ type: 'stats' }, 'stats')))).reduce((sum, s) => sum + s.streams, 0) >= n;
  for (let i = 0; i < size; i++) {
    const query = kinds[i % 3] === 'member' ? 'subscription { messageCreated { id body } }' : 'subscription { postCreated { id title } }';
    const times: number[] = (received[i] = []);
    clients[i]!.subscribe({ query }, { next: () => void times.push(Date.now()), error: (e) => void (errors += 1, lastError = e), complete: () => {} });
    if (i % 100 === 99) await waitFor(() => streamsOpen(i + 1 - 100), 'subscribing');
  }
  await waitFor(() => streamsOpen(size), 'subscribing');
  const busy = await Promise.all(servers.map((s) => s.request<any>({ type: 'stats', gc: true }, 'stats')));
  const perConnection = (field: 'rss' | 'heapUsed') => open.reduce((sum, s, i) => sum + (s[field] - idle[i][field]), 0) / size / 1024;
  const perSubscription = (field: 'rss' | 'heapUsed') => busy.reduce((sum, s, i) => sum + (s[field] - open[i][field]), 0) / size / 1024;

  const lasts: number[] = [];
  const all: number[] = [];
  const cpuBefore = await Promise.all(servers.map((s) => s.request<any>({ type: 'stats' }, 'stats')));
  for (let round = 0; round < rounds; round++) {
    // Posts reach anonymous and author subscribers; messages reach the members.
    for (const model of ['Post', 'Message'] as const) {
      const expected = received.map((r, i) => (kinds[i % 3] === 'member') === (model === 'Message') ? r.length + 1 : r.length);
      const data = model === 'Post' ? { title: 'fan-out', status: 'PUBLISHED', authorId: 1 } : { body: 'fan-out', conversationId: 1, authorId: 2 };
      const { sentAt } = await first.request<{ sentAt: number }>({ type: 'write', model, data }, 'written');
      const deadline = Date.now() + 60_000;
      while (received.some((r, i) => r.length < expected[i]!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      const missing = received.filter((r, i) => r.length < expected[i]!).length;
      if (missing) console.error(`round ${round} ${model}: ${missing} subscribers had nothing after 60 s`);
      const latencies = received.flatMap((r, i) => (r.length === expected[i] && expected[i] !== 0 && (kinds[i % 3] === 'member') === (model === 'Message') ? [r.at(-1)! - sentAt] : []));
      latencies.sort((a, b) => a - b);
      lasts.push(latencies.at(-1)!);
      all.push(...latencies);
    }
  }
  const cpuAfter = await Promise.all(servers.map((s) => s.request<any>({ type: 'stats' }, 'stats')));
  const statements = cpuAfter.reduce((sum, s, i) => sum + s.statements - cpuBefore[i].statements, 0) / (rounds * 2);
  const cpuMs = cpuAfter.reduce((sum, s, i) => sum + (s.cpu.user + s.cpu.system - cpuBefore[i].cpu.user - cpuBefore[i].cpu.system) / 1000, 0);
  all.sort((a, b) => a - b);
  lasts.sort((a, b) => a - b);
  const deliveries = all.length;
  const result = {
    subscribers: size,
    instances,
    deliveryP50: pct(all, 50),
    deliveryP99: pct(all, 99),
    lastDeliveryP50: pct(lasts, 50),
    lastDeliveryMax: lasts.at(-1),
    sqlPerWrite: statements,
    cpuMsPerDelivery: +(cpuMs / deliveries).toFixed(3),
    kbPerIdleConnectionHeap: +perConnection('heapUsed').toFixed(1),
    kbPerIdleSubscriptionHeap: +perSubscription('heapUsed').toFixed(1),
    kbPerIdleSubscriptionRss: +perSubscription('rss').toFixed(1),
  };
  console.log(JSON.stringify(result));
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all(servers.map((s) => new Promise((resolve) => { s.child.once('exit', resolve); s.child.send({ type: 'stop' }); })));
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const results = [];
for (const instances of instanceCounts) for (const size of sizes) results.push(await run(size, instances));
console.table(results);
