import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { forwardedAddress } from '../auth/index.ts';
import type { LimitsConfig } from '../config/index.ts';
import { limitExceeded } from '../errors.ts';
import type { CairnYoga } from './create-yoga.ts';
import { serveGraphQLWs } from './serve-graphql-ws.ts';

export interface WebSocketServerOptions {
  /** The HTTP server to share: upgrades on yoga's endpoint (/graphql) become graphql-ws connections. */
  server: Server;
  yoga: CairnYoga;
  /** Connections per address and per viewer, operations per connection, the init timeout, the keep-alive ping. */
  limits: Pick<LimitsConfig, 'wsMaxPerAddress' | 'wsMaxPerViewer' | 'wsMaxOperations' | 'wsInitTimeoutMs' | 'wsPingMs' | 'wsIdleTimeoutMs'>;
  /** Proxies in front (CAIRN_TRUST_PROXY): count connections by the address the outermost one saw, as auth does. @default 0 */
  trustProxy?: number;
}

export interface CairnWebSocketServer {
  /** Closes every connection with 1001 ("going away"), stops accepting upgrades, and resolves with how many were open. */
  close(): Promise<number>;
}

/**
 * Close codes for refused connections (the reason names the limit). 1013 is the standard "try
 * again later"; graphql-ws's own codes stay as they are (4408: no `connection_init` in time).
 */
export const wsCloseCodes = { tooManyConnections: 1013, goingAway: 1001, initTimeout: 4408, idle: 1000 } as const;

// Upgrade headers that describe the socket, not the client; the rest (cookie, origin,
// user-agent, x-forwarded-for) is what the context factory reads.
const socketHeaders = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol']);

/**
 * graphql-ws (graphql-transport-ws) on the same port as HTTP, running every operation through
 * yoga's envelop pipeline (`yoga.getEnveloped`): the same schema, plugins, error masking and
 * context factory as HTTP, with the token from the connection params (`{ authorization:
 * "Bearer …" }` or `{ token }`). The context is built per operation, so a revoked session stops
 * working on an open socket at its next operation.
 */
export function createWebSocketServer({ server, yoga, limits, trustProxy = 0 }: WebSocketServerOptions): CairnWebSocketServer {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const requests = new WeakMap<IncomingMessage, Request>();
  const requestOf = (incoming: IncomingMessage) => {
    if (!requests.has(incoming)) requests.set(incoming, toFetchRequest(incoming));
    return requests.get(incoming)!;
  };
  const perAddress = new Counter();
  const perViewer = new Counter();
  const refuse = (socket: WebSocket, reason: string) => socket.close(wsCloseCodes.tooManyConnections, reason);

  // Registered before graphql-ws's own listener: an address over its cap is refused before anything else.
  wss.on('connection', (socket, incoming) => {
    const address = clientAddress(incoming, trustProxy);
    if (!perAddress.add(address, limits.wsMaxPerAddress)) {
      return refuse(socket, `Too many connections from this address (CAIRN_WS_MAX_PER_ADDRESS=${limits.wsMaxPerAddress})`);
    }
    socket.once('close', () => perAddress.remove(address));
  });
  const keepAlive = startKeepAlive(wss, limits.wsPingMs);
  const idle = closeIdleSockets(limits.wsIdleTimeoutMs);

  const disposable = serveGraphQLWs(
    {
      connectionInitWaitTimeout: limits.wsInitTimeoutMs,
      // An operation stopped because its socket closed has no one to answer: end it quietly.
      execute: async (args) => {
        try {
          return await (args.rootValue as Enveloped).execute(args);
        } catch (error) {
          if ((args.contextValue as { request?: Request })?.request?.signal.aborted) return { data: null };
          throw error;
        }
      },
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      // The viewer is known once the connection params arrive: count the socket against that viewer.
      async onConnect(ctx) {
        idle.watch(ctx.extra.socket, ctx.subscriptions);
        let viewerId: unknown;
        try {
          const enveloped = yoga.getEnveloped({ req: ctx.extra.request, socket: ctx.extra.socket, request: requestOf(ctx.extra.request), connectionParams: ctx.connectionParams ?? {}, params: {} });
          viewerId = ((await enveloped.contextFactory()) as { viewer?: { id?: unknown } | null }).viewer?.id;
        } catch {
          // Refused credentials: the operations will say so, each with its code.
        }
        if (viewerId === undefined || viewerId === null) return true;
        const key = String(viewerId);
        if (!perViewer.add(key, limits.wsMaxPerViewer)) {
          refuse(ctx.extra.socket, `Too many connections for this viewer (CAIRN_WS_MAX_PER_VIEWER=${limits.wsMaxPerViewer})`);
          return false;
        }
        ctx.extra.socket.once('close', () => perViewer.remove(key));
        return true;
      },
      async onSubscribe(ctx, _id, params) {
        // ctx.subscriptions already holds this operation.
        const running = Object.keys(ctx.subscriptions).length;
        if (running > limits.wsMaxOperations) {
          return [limitExceeded('Operations running on this connection', 'wsMaxOperations', 'CAIRN_WS_MAX_OPERATIONS', limits.wsMaxOperations, running)];
        }
        const enveloped = yoga.getEnveloped({
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          request: requestOf(ctx.extra.request),
          connectionParams: ctx.connectionParams ?? {},
          params,
        });
        try {
          const document = enveloped.parse(params.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length) return errors;
          const args: ExecutionArgs = {
            schema: enveloped.schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await enveloped.contextFactory(),
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
          };
          return args;
        } catch (error) {
          // Parse errors and context refusals (e.g. a cookie from an untrusted Origin) are already
          // coded GraphQLErrors: answer the operation with them instead of dropping the socket.
          if ((error as GraphQLError)?.extensions) return [error as GraphQLError];
          throw error;
        }
      },
    },
    wss,
  );

  return {
    async close() {
      keepAlive.stop();
      idle.stop();
      const open = wss.clients.size;
      await disposable.dispose();
      return open;
    },
  };
}

/**
 * WebSocket-level keep-alive (RFC 6455 ping/pong, answered by browsers and `ws` on their own):
 * a peer that vanished without a close (a laptop lid, a dropped NAT mapping) would otherwise hold
 * its socket and its subscriptions until the kernel gives up, hours later. Each tick pings every
 * socket; one that has not answered the previous tick's ping is terminated, and its close ends
 * its subscriptions as any close does.
 */
function startKeepAlive(wss: WebSocketServer, intervalMs: number): { stop(): void } {
  if (intervalMs <= 0) return { stop() {} };
  const answered = new WeakSet<WebSocket>();
  wss.on('connection', (socket) => {
    answered.add(socket);
    socket.on('pong', () => answered.add(socket));
  });
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (!answered.has(socket)) {
        socket.terminate();
        continue;
      }
      answered.delete(socket);
      if (socket.readyState === socket.OPEN) socket.ping();
    }
  }, intervalMs);
  // Never what keeps the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Closes sockets that have run no operation for `timeoutMs` (a tab left open with nothing
 * subscribed holds a connection, its memory and a per-viewer slot). Checked on a timer at a
 * quarter of the timeout, so a socket closes between one and one and a quarter timeouts idle.
 */
function closeIdleSockets(timeoutMs: number): { watch(socket: WebSocket, operations: Record<string, unknown>): void; stop(): void } {
  if (timeoutMs <= 0) return { watch() {}, stop() {} };
  // graphql-ws keeps each connection's running operations in `ctx.subscriptions`.
  const watched = new Map<WebSocket, { operations: Record<string, unknown>; idleSince: number }>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [socket, state] of watched) {
      if (Object.keys(state.operations).length) state.idleSince = now;
      else if (now - state.idleSince >= timeoutMs) socket.close(wsCloseCodes.idle, 'idle');
    }
  }, Math.max(10, Math.floor(timeoutMs / 4)));
  timer.unref();
  return {
    watch(socket, operations) {
      watched.set(socket, { operations, idleSince: Date.now() });
      socket.once('close', () => watched.delete(socket));
    },
    stop: () => clearInterval(timer),
  };
}

/** Open connections per key, refusing past a maximum. */
class Counter {
  private counts = new Map<string, number>();
  add(key: string, max: number): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= max) return false;
    this.counts.set(key, count + 1);
    return true;
  }
  remove(key: string): void {
    const count = (this.counts.get(key) ?? 1) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}

function clientAddress(incoming: IncomingMessage, trustProxy: number): string {
  const header = incoming.headers['x-forwarded-for'];
  return forwardedAddress(Array.isArray(header) ? header.join(',') : header, trustProxy) ?? incoming.socket.remoteAddress ?? 'unknown';
}

type Enveloped = { execute: (args: ExecutionArgs) => any; subscribe: (args: ExecutionArgs) => any };

function toFetchRequest(incoming: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined || socketHeaders.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const host = incoming.headers.host ?? 'localhost';
  // The socket closing aborts the request's signal: operations still running on it stop (useRequestDeadline).
  const closed = new AbortController();
  incoming.socket.once('close', () => closed.abort(new Error('WebSocket closed')));
  // Socket operations are not GETs: mutations are allowed (yoga refuses them on GET), and a
  // session cookie needs a trusted Origin as on any non-GET request.
  return new Request(new URL(incoming.url ?? '/', `http://${host}`), { method: 'POST', headers, signal: closed.signal });
}
