import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { WebSocket, WebSocketServer } from 'ws';

// graphql-ws limits close reasons to what fits a close frame (123 bytes).
const closeReason = (error: unknown, isProd: boolean) => {
  const reason = error instanceof Error ? error.message : String(error);
  return isProd || reason.length >= 124 ? 'Internal server error' : reason;
};

/**
 * graphql-ws's `useServer` (graphql-ws/use/ws, which says to copy and adjust it), adjusted for
 * idle subscriptions: its message listener is an async function awaiting graphql-ws's handler,
 * and a subscribe message's handler runs for the whole subscription, so each open subscription
 * kept that listener's suspended frame and the message's Buffer. Here the listener hands the
 * text to the handler and only attaches one per-socket error handler. No keep-alive of its own:
 * startKeepAlive pings every socket (CAIRN_WS_PING_MS).
 */
export function serveGraphQLWs(options: ServerOptions<Record<string, unknown> | undefined, Extra>, wss: WebSocketServer, isProd = process.env.NODE_ENV === 'production'): { dispose(): Promise<void> } {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  wss.once('error', (error) => {
    console.error('Internal error emitted on the WebSocket server. Please check your implementation.', error);
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, closeReason(error, isProd));
  });
  wss.on('connection', (socket: WebSocket, request) => {
    socket.once('error', (error) => {
      console.error('Internal error emitted on a WebSocket socket. Please check your implementation.', error);
      socket.close(CloseCode.InternalServerError, closeReason(error, isProd));
    });
    const closed = server.opened(new SocketPort(socket, isProd), { socket, request });
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * The socket as graphql-ws sees it. A class: named closures made per connection would each carry
 * a property dictionary under tsx's `keepNames` (see README "Architecture").
 */
class SocketPort {
  readonly #socket: WebSocket;
  readonly #isProd: boolean;
  readonly #fail: (error: unknown) => void;
  constructor(socket: WebSocket, isProd: boolean) {
    this.#socket = socket;
    this.#isProd = isProd;
    this.#fail = this.#failed.bind(this);
  }

  get protocol(): string {
    return this.#socket.protocol;
  }

  send(data: string): Promise<void> {
    const socket = this.#socket;
    return new Promise<void>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.#socket.on('message', (data) => {
      try {
        void handle(String(data)).catch(this.#fail);
      } catch (error) {
        this.#fail(error);
      }
    });
  }

  #failed(error: unknown): void {
    console.error('Internal error occurred during message handling. Please check your implementation.', error);
    this.#socket.close(CloseCode.InternalServerError, closeReason(error, this.#isProd));
  }
}
