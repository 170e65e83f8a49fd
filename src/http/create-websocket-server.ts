import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { CairnYoga } from './create-yoga.ts';

export interface WebSocketServerOptions {
  /** The HTTP server to share: upgrades on yoga's endpoint (/graphql) become graphql-ws connections. */
  server: Server;
  yoga: CairnYoga;
}

export interface CairnWebSocketServer {
  /** Closes every connection ("going away") and stops accepting upgrades. */
  close(): Promise<void>;
}

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
export function createWebSocketServer({ server, yoga }: WebSocketServerOptions): CairnWebSocketServer {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const requests = new WeakMap<IncomingMessage, Request>();
  const requestOf = (incoming: IncomingMessage) => {
    if (!requests.has(incoming)) requests.set(incoming, toFetchRequest(incoming));
    return requests.get(incoming)!;
  };

  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      async onSubscribe(ctx, _id, params) {
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
      await disposable.dispose();
    },
  };
}

type Enveloped = { execute: (args: ExecutionArgs) => any; subscribe: (args: ExecutionArgs) => any };

function toFetchRequest(incoming: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined || socketHeaders.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const host = incoming.headers.host ?? 'localhost';
  // Socket operations are not GETs: mutations are allowed (yoga refuses them on GET), and a
  // session cookie needs a trusted Origin as on any non-GET request.
  return new Request(new URL(incoming.url ?? '/', `http://${host}`), { method: 'POST', headers });
}
