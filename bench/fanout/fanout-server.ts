// One Cairn instance for the fan-out bench, in its own process: the example app in production
// mode; the viewer comes from the connection params ({ as: userId }) so no session lookup is
// measured. Answers IPC messages: "stats" (memory, open streams) and "write" (one committed write
// handed to the realtime observer, as the write path does after COMMIT).
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { rootDir } from '../lib/paths.ts';

const config = loadConfig(
  {
    NODE_ENV: 'production',
    CAIRN_GENERATED_DIR: `${rootDir}/examples/blog/src/generated`,
    CAIRN_SCHEMA: `${rootDir}/examples/blog/prisma/schema.prisma`,
    CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER: '1000000',
    // The example has file fields; production demands a signing secret for their links.
    CAIRN_STORAGE_SECRET: 'fanout-bench-storage-secret-0123456789abcdef',
    CAIRN_STORAGE_DIR: `${rootDir}/bench/results/files`,
    // Every bench connection comes from 127.0.0.1 and few viewers: lift the per-address/viewer socket caps.
    CAIRN_WS_MAX_PER_ADDRESS: '1000000',
    CAIRN_WS_MAX_PER_VIEWER: '1000000',
    ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL, CAIRN_REDIS_PREFIX: process.env.CAIRN_REDIS_PREFIX }),
  },
  { databaseUrl: process.env.DATABASE_URL!, host: '127.0.0.1', port: 0, syncSchema: process.env.BENCH_PUSH ? 'push' : 'off' },
);
let statements = 0;
const app = await buildApp({
  config,
  onQuery: () => void (statements += 1),
  warn: () => {},
  resolveViewer: async (_request, params) => (params?.as ? { id: Number(params.as), roles: ['user'] } : null),
});
const { port } = await app.start();
const db = app.db as any;
let n = 0;

process.on('message', async (message: { type: string; gc?: boolean; model?: string; data?: Record<string, unknown> }) => {
  if (message.type === 'stats') {
    if (message.gc) global.gc?.();
    const memory = process.memoryUsage();
    process.send!({ type: 'stats', rss: memory.rss, heapUsed: memory.heapUsed, ...app.realtime.stats(), cpu: process.cpuUsage(), statements });
  } else if (message.type === 'write') {
    const model = message.model!;
    const data = { ...message.data, ...(model === 'Post' && { slug: `fanout-${process.pid}-${++n}` }) };
    const after = await db[model.charAt(0).toLowerCase() + model.slice(1)].create({ data });
    const sentAt = Date.now();
    app.realtime.observer.afterCommit!([{ model, kind: 'created', key: { id: after.id }, before: null, after }]);
    process.send!({ type: 'written', sentAt });
  } else if (message.type === 'stop') {
    await app.stop();
    process.exit(0);
  }
});
process.send!({ type: 'ready', port });
