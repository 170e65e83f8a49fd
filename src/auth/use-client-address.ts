import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { requestAuthState } from './request-auth-state.ts';

/**
 * Remembers the socket's remote address for the request (per-IP throttling, session list). Runs
 * while the context is built, which HTTP and the WebSocket server share: both hand over `req`.
 */
export function useClientAddress(options: { trustProxy: number; warn: (message: string) => void }): Plugin {
  let warned = options.trustProxy > 0;
  return {
    onContextBuilding({ context }) {
      const { request, req } = context as { request?: Request; req?: IncomingMessage };
      const address = req?.socket?.remoteAddress;
      if (request && address) requestAuthState(request).socketAddress = address;
      if (!warned && address && request?.headers.has('x-forwarded-for')) {
        warned = true;
        options.warn(
          `Requests arrive with X-Forwarded-For from ${address} but CAIRN_TRUST_PROXY is 0: every client behind that proxy shares its address for throttling. Set CAIRN_TRUST_PROXY to the number of proxies in front of Cairn.`,
        );
      }
    },
  };
}
