// Notification benchmark: `notify` an audience of N users (every reader of a published post, by
// the access rules) with an inbox entry and a Web Push to each user's device, on SQLite, against a
// local fake push service (answers 201 without decrypting). Reports the time `notify` takes (it only
// enqueues), inbox rows/s, push deliveries/s, and peak RSS.
//   npx tsx bench/notify.ts [--users 10000] [--page 500] [--push-concurrency 8]
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { rootDir } from './lib/paths.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const users = Number(arg('users', '10000'));
const pageSize = arg('page', '500');
const pushConcurrency = arg('push-concurrency', '8');

let pushes = 0;
let lastPushAt = 0;
const service = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    pushes++;
    lastPushAt = performance.now();
    res.writeHead(201).end();
  });
});
await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
const vapid = webpush.generateVAPIDKeys();
Object.assign(process.env, {
  CAIRN_VAPID_PUBLIC_KEY: vapid.publicKey,
  CAIRN_VAPID_PRIVATE_KEY: vapid.privateKey,
  CAIRN_VAPID_SUBJECT: 'mailto:bench@example.com',
  CAIRN_WEBPUSH_BASE_URL: `http://127.0.0.1:${(service.address() as AddressInfo).port}`,
  CAIRN_NOTIFY_PAGE_SIZE: pageSize,
  CAIRN_PUSH_CONCURRENCY: pushConcurrency,
});

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-notify-'));
const config = loadConfig(
  {
    NODE_ENV: 'production',
    CAIRN_GENERATED_DIR: `${rootDir}/examples/blog/src/generated`,
    CAIRN_SCHEMA: `${rootDir}/examples/blog/prisma/schema.prisma`,
    CAIRN_FUNCTIONS: '',
    CAIRN_JOBS_POLL_MS: '100',
    CAIRN_STORAGE_DIR: join(dir, 'files'),
    CAIRN_STORAGE_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
  },
  { databaseUrl: `file:${join(dir, 'bench.db')}`, host: '127.0.0.1', port: 0, syncSchema: 'push' },
);
const app = await buildApp({ config, warn: () => {}, logError: (error) => console.error(error) });
const db = app.db as any;

// Seed: N users, one Web Push subscription each (all sharing one key pair), one published post.
const subscriber = createECDH('prime256v1');
subscriber.generateKeys();
const keys = JSON.stringify({ p256dh: subscriber.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') });
for (let from = 0; from < users; from += 1000) {
  const count = Math.min(1000, users - from);
  await db.user.createMany({ data: Array.from({ length: count }, (_, i) => ({ email: `u${from + i}@bench.test` })) });
}
const ids: number[] = (await db.user.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((u: { id: number }) => u.id);
for (let from = 0; from < ids.length; from += 1000) {
  await db.pushDevice.createMany({ data: ids.slice(from, from + 1000).map((id) => ({ id: `d${id}`, userId: id, platform: 'webpush', address: `https://push.example.net/sub/${id}`, keys })) });
}
const post = await db.post.create({ data: { title: 'Hello', slug: 'hello', body: 'A post for everyone', status: 'PUBLISHED', authorId: ids[0] } });
await app.startWorkers();

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const started = performance.now();
await app.notify({ to: { readersOf: { model: 'Post', where: { id: post.id } } }, type: 'post.published', title: 'Hello', body: 'A post for everyone', url: '/posts/1', key: 'bench' });
const enqueuedMs = performance.now() - started;
let inboxDoneAt = 0;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  if (!inboxDoneAt && (await db.notification.count()) >= ids.length) inboxDoneAt = performance.now();
  if (inboxDoneAt && pushes >= ids.length) break;
}
clearInterval(sampler);
const inboxS = (inboxDoneAt - started) / 1000;
const pushS = (lastPushAt - started) / 1000;
console.log(
  JSON.stringify(
    {
      users: ids.length,
      pageSize: Number(pageSize),
      pushConcurrency: Number(pushConcurrency),
      enqueueMs: Number(enqueuedMs.toFixed(2)),
      inboxRowsPerSecond: Math.round(ids.length / inboxS),
      inboxDoneSeconds: Number(inboxS.toFixed(2)),
      pushDeliveriesPerSecond: Math.round(pushes / pushS),
      allPushedSeconds: Number(pushS.toFixed(2)),
      pushesReceived: pushes,
      peakRssMB: Math.round(peakRss / 2 ** 20),
    },
    null,
    2,
  ),
);
await app.stop();
service.close();
rmSync(dir, { recursive: true, force: true });
