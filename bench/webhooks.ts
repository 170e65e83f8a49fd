// Webhook benchmark: commit-to-delivery latency (p50/p99), sustained deliveries/s, and the write
// overhead a declared webhook adds to a mutation. In-process (yoga.fetch), loopback receiver.
//   npx tsx bench/webhooks.ts [--provider sqlite|postgresql] [--writes 300]
// PostgreSQL needs BENCH_POSTGRES_URL (or TEST_POSTGRES_URL).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { systemSchema } from '../src/jobs/index.ts';
import { rootDir } from './lib/paths.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const provider = arg('provider', 'sqlite') as 'sqlite' | 'postgresql';
const writes = Number(arg('writes', '300'));
const concurrency = 8;
const secret = `whsec_${randomBytes(24).toString('base64')}`;

const arrivals = new Map<number, number>();
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    arrivals.set(JSON.parse(body).data.key.id, performance.now());
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

async function database(): Promise<{ url: string; drop(): Promise<void> }> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-hooks-'));
    return { url: `file:${join(dir, 'bench.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error('Set BENCH_POSTGRES_URL for --provider postgresql');
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${systemSchema(url.toString())}" CASCADE`);
      await client.end();
    },
  };
}

async function app(withWebhook: boolean): Promise<{ app: App; author: number; drop(): Promise<void> }> {
  const db = await database();
  const config = loadConfig(
    { NODE_ENV: 'production', CAIRN_GENERATED_DIR: `${rootDir}/examples/blog/src/generated`, CAIRN_SCHEMA: `${rootDir}/examples/blog/prisma/schema.prisma`, CAIRN_FUNCTIONS: '', CAIRN_JOBS_POLL_MS: '500', LOG_LEVEL: 'silent' },
    { databaseUrl: db.url, host: '127.0.0.1', port: 0, syncSchema: 'push' },
  );
  const built = await buildApp({
    config,
    resolveViewer: async () => ({ id: 1, roles: ['user', 'admin'] }),
    warn: () => {},
    logError: (error) => console.error(error),
    functions: withWebhook ? { webhooks: { bench: { model: 'Post', url: hookUrl, secret, operations: ['create'] } } } : {},
  });
  await built.startWorkers();
  const author = (await built.db.user.create({ data: { email: `bench-${randomBytes(3).toString('hex')}@example.com` } })).id;
  return { app: built, author, drop: async () => { await built.stop(); await db.drop(); } };
}

let slug = 0;
async function createPost(target: App, author: number): Promise<number> {
  const response = await target.yoga.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($data: PostCreateInput!) { createPost(data: $data) { id } }', variables: { data: { title: 'Bench', slug: `s-${++slug}`, author: { connect: { id: author } } } } }),
  });
  const json = (await response.json()) as { data?: { createPost: { id: number } }; errors?: unknown };
  if (!json.data) throw new Error(JSON.stringify(json.errors));
  return json.data.createPost.id;
}

async function parallel(n: number, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let left = n;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (left-- > 0) await fn(); }));
  return performance.now() - started;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const until = async (check: () => boolean) => { while (!check()) await new Promise((resolve) => setTimeout(resolve, 5)); };

const hooked = await app(true);
// 1. Latency: one write at a time; "commit" is when the mutation answered (COMMIT happened before).
const latencies: number[] = [];
for (let i = 0; i < Math.min(writes, 200); i++) {
  const id = await createPost(hooked.app, hooked.author);
  const committed = performance.now();
  await until(() => arrivals.has(id));
  latencies.push(arrivals.get(id)! - committed);
}
// 2. Sustained: `writes` mutations, 8 at a time; deliveries/s until the last one arrived.
const before = arrivals.size;
const started = performance.now();
const hookedWriteMs = await parallel(writes, () => createPost(hooked.app, hooked.author));
await until(() => arrivals.size >= before + writes);
const deliveredMs = performance.now() - started;
await hooked.drop();
// 3. Overhead: the same writes without a webhook.
const plain = await app(false);
const plainWriteMs = await parallel(writes, () => createPost(plain.app, plain.author));
await plain.drop();
receiver.close();

const fmt = (n: number) => n.toFixed(1);
console.log(`webhooks on ${provider}, node ${process.version}, ${writes} writes, concurrency ${concurrency}`);
console.log(`commit -> delivery latency: p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms (n=${latencies.length})`);
console.log(`sustained deliveries: ${fmt((writes / deliveredMs) * 1000)}/s`);
console.log(`createPost with a webhook: ${fmt((writes / hookedWriteMs) * 1000)} req/s; without: ${fmt((writes / plainWriteMs) * 1000)} req/s`);
