import autocannon from 'autocannon';
import type { DatasetSize } from '../dataset/sizes.ts';
import type { Shape } from '../shapes.ts';
import type { ServerName } from './args.ts';
import type { ServerHandle } from './server-process.ts';

export interface CellResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Socket errors, timeouts and non-2xx answers during the measured window. */
  failures: number;
  /** Data statements (SELECT/INSERT/UPDATE/DELETE/WITH) per request, counted in the server's driver. */
  sqlPerRequest: number;
  /** BEGIN/COMMIT/SAVEPOINT/SET statements per request. */
  controlPerRequest: number;
  /** Highest RSS of the server process sampled during the measured window, in MB. */
  peakRssMb: number;
  /**
   * CPU time (user + system) the server process used per request. On a machine where the load
   * generator, PostgreSQL and the server share few cores this compares servers more fairly than req/s.
   */
  cpuMsPerRequest: number;
  /** CPU the load generator (this process) used during the measured window, in % of one core. */
  loadCpuPercent: number;
}

export interface LoadOptions {
  connections: number;
  warmup: number;
  duration: number;
  size: DatasetSize;
}

/** The HTTP body of the k-th request of `shape` for one server (GraphQL or the JSON servers). */
export function requestBody(server: ServerName, shape: Shape, k: number, size: DatasetSize, tag: string): string {
  const vars = shape.vars(k, size, tag);
  if (server === 'cairn' || server === 'cairn-anon') return JSON.stringify({ query: shape.cairn, variables: vars });
  if (server === 'postgraphile') {
    if ('na' in shape.postgraphile) throw new Error(`${shape.name} has no PostGraphile form`);
    return JSON.stringify({ query: shape.postgraphile.query, variables: shape.postgraphile.vars?.(vars) ?? vars });
  }
  return JSON.stringify(vars);
}

export const requestPath = (server: ServerHandle, shape: Shape) => (server.path === '/' ? `/${shape.name}` : server.path);

/** Sends one request and returns the response's `data`, throwing on HTTP or GraphQL errors. */
export async function probe(server: ServerHandle, kind: ServerName, shape: Shape, size: DatasetSize): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${server.port}${requestPath(server, shape)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...server.headers },
    body: requestBody(kind, shape, 0, size, `probe${Date.now()}`),
  });
  const json = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (!response.ok || json.errors?.length) throw new Error(`HTTP ${response.status}: ${json.errors?.map((e) => e.message).join('; ')}`);
  return json.data;
}

/** Warm-up, then a measured autocannon run with statement counts and RSS read from the server. */
export async function measureCell(server: ServerHandle, kind: ServerName, shape: Shape, options: LoadOptions): Promise<CellResult> {
  const tag = `${kind}${Date.now().toString(36)}`;
  let k = 0;
  const run = (seconds: number) =>
    autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections: options.connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: requestPath(server, shape),
          headers: { 'content-type': 'application/json', ...server.headers },
          setupRequest: (request) => ({ ...request, body: requestBody(kind, shape, k++, options.size, tag) }),
        },
      ],
    });
  if (options.warmup > 0) await run(options.warmup);
  await server.reset();
  let peakRss = 0;
  const sampler = setInterval(() => {
    server.sample().then((s) => (peakRss = Math.max(peakRss, s.rss)), () => {});
  }, 500);
  const loadCpu = process.cpuUsage();
  const result = await run(options.duration);
  const loadUsed = process.cpuUsage(loadCpu);
  clearInterval(sampler);
  const stats = await server.stats();
  peakRss = Math.max(peakRss, stats.rss);
  const served = Math.max(stats.requests, 1);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
    sqlPerRequest: stats.data / served,
    controlPerRequest: stats.control / served,
    peakRssMb: peakRss / 1024 / 1024,
    cpuMsPerRequest: stats.cpuMs / served,
    loadCpuPercent: ((loadUsed.user + loadUsed.system) / 1000 / (options.duration * 1000)) * 100,
  };
}
