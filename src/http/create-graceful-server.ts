import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface GracefulServer {
  server: Server;
  /** Requests whose response has not finished. */
  readonly inFlight: number;
  /**
   * Stops accepting connections, marks every response still to be sent `Connection: close` (so
   * keep-alive clients reconnect elsewhere instead of reusing this socket), closes idle sockets,
   * and resolves once running requests have finished, or after `timeoutMs` with their sockets
   * cut. Resolves with whether everything finished in time.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** node:http around `handler`, with the request accounting a graceful shutdown needs. */
export function createGracefulServer(handler: RequestListener): GracefulServer {
  const responses = new Set<ServerResponse>();
  let draining = false;
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  const server = createServer((req, res) => {
    responses.add(res);
    res.once('close', () => responses.delete(res));
    // A request that arrives on a kept-alive socket during the drain is served, then the socket closes.
    if (draining) closeAfter(res);
    handler(req, res);
  });
  return {
    server,
    get inFlight() {
      return responses.size;
    },
    async drain(timeoutMs) {
      draining = true;
      for (const res of responses) closeAfter(res);
      const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      // server.close() stops accepting and closes idle keep-alive sockets; busy ones close after their response.
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const finished = await Promise.race([closed.then(() => true as const), deadline]);
      clearTimeout(timer);
      if (!finished) server.closeAllConnections();
      return finished;
    },
  };
}
