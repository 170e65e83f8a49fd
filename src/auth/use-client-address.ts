import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { requestAuthState } from './request-auth-state.ts';

/**
 * Remembers the socket's remote address for the request (per-IP throttling, session list). Runs
 * while the context is built, which HTTP and the WebSocket server share: both hand over `req`.
 */
export function useClientAddress(): Plugin {
  return {
    onContextBuilding({ context }) {
      const { request, req } = context as { request?: Request; req?: IncomingMessage };
      const address = req?.socket?.remoteAddress;
      if (request && address) requestAuthState(request).socketAddress = address;
    },
  };
}
