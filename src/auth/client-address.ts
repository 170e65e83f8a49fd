import { requestAuthState } from './request-auth-state.ts';

/**
 * The client's address for per-IP throttling and the session list: the socket's peer, or behind
 * a trusted proxy the last `X-Forwarded-For` entry (the one the proxy itself appended; entries
 * before it are whatever the client claimed).
 */
export function clientAddress(request: Request, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return requestAuthState(request).socketAddress;
}
