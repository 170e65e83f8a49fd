import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { counts } from './statement-counter.ts';

/** What a bench server child reports to the runner over IPC. */
export type ServerMessage =
  | { type: 'ready'; port: number; path: string; headers?: Record<string, string> }
  | { type: 'stats'; requests: number; data: number; control: number; rss: number; cpuMs: number }
  | { type: 'error'; message: string };
/**
 * `stats` and `reset` wait until no request is in flight (load generators abandon requests when
 * their time is up), so every counted request has all its statements counted. `sample` answers at once.
 */
export type RunnerMessage = { type: 'stats' | 'reset' | 'sample' | 'stop' };

export interface Started {
  server: Server;
  /** URL path the load goes to: `/graphql`, or `/` for the JSON servers (shape appended). */
  path: string;
  /** Headers every request carries (Cairn's bearer session token). */
  headers?: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Runs one bench server in this child process: listens on a free loopback port, counts requests
 * and answers the runner's `stats` / `reset` / `stop` messages. Exits on `stop` or SIGTERM
 * (normally, so `--cpu-prof` writes its profile).
 */
export async function runServerProcess(start: () => Promise<Started>): Promise<void> {
  const send = (message: ServerMessage) => process.send?.(message);
  let started: Started;
  try {
    started = await start();
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
  let requests = 0;
  let inFlight = 0;
  started.server.on('request', (_req, res) => {
    requests++;
    inFlight++;
    res.once('close', () => inFlight--);
  });
  const whenIdle = async () => {
    for (const deadline = Date.now() + 30_000; inFlight > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
  };
  const stop = async () => {
    await started.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  // CPU time this process used since the last reset (user + system, all threads), in ms.
  let cpuBase = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(cpuBase);
    return (used.user + used.system) / 1000;
  };
  process.on('message', async (message: RunnerMessage) => {
    if (message.type === 'stop') return stop();
    if (message.type !== 'sample') await whenIdle();
    if (message.type === 'reset') {
      requests = counts.data = counts.control = 0;
      cpuBase = process.cpuUsage();
    }
    send({ type: 'stats', requests, ...counts, rss: process.memoryUsage.rss(), cpuMs: cpuMs() });
  });
  if (!started.server.listening) {
    await new Promise<void>((resolve) => started.server.listen(0, '127.0.0.1', resolve));
  }
  send({ type: 'ready', port: (started.server.address() as AddressInfo).port, path: started.path, headers: started.headers });
}

export type Handler = (vars: Record<string, any>) => Promise<unknown> | unknown;

/** A node:http server answering `POST /<shape>` with `{ data }` from the shape's handler. */
export function createJsonServer(handlers: Record<string, Handler>): Server {
  return createServer(async (req, res) => {
    const handler = handlers[(req.url ?? '/').slice(1)];
    if (req.method !== 'POST' || !handler) {
      res.writeHead(404).end();
      return;
    }
    try {
      const data = await handler(JSON.parse(await readBody(req)));
      const body = JSON.stringify({ data });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (error) {
      const body = JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] });
      res.writeHead(500, { 'content-type': 'application/json' }).end(body);
    }
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Settings every child gets from the runner through its environment. */
export function benchEnv(): { url: string; pgUrl?: string; pgSchema?: string; sqliteFile?: string; poolSize: number } {
  const env = process.env;
  if (!env.BENCH_URL) throw new Error('BENCH_URL is not set (bench servers are started by bench/run.ts)');
  return {
    url: env.BENCH_URL,
    pgUrl: env.BENCH_PG_URL,
    pgSchema: env.BENCH_PG_SCHEMA,
    sqliteFile: env.BENCH_SQLITE_FILE,
    poolSize: Number(env.BENCH_POOL_SIZE ?? 10),
  };
}
