import { requestAuthState } from './request-auth-state.ts';

/**
 * The client's address for throttling and the session list. With `trustedProxies` = 0 it is
 * the socket's peer and X-Forwarded-For is ignored (anyone can send one). Behind N proxies, each
 * appending the address it received the request from, it is the N-th entry from the right: the
 * one the outermost trusted proxy wrote; entries further left are whatever the client claimed.
 * With fewer entries than N, the leftmost one.
 */
export function clientAddress(request: Request, trustedProxies: number): string | undefined {
  if (trustedProxies > 0) {
    const entries = (request.headers.get('x-forwarded-for') ?? '').split(',').map((e) => e.trim()).filter(Boolean);
    const entry = entries[Math.max(0, entries.length - trustedProxies)];
    if (entry) return entry.slice(0, 64);
  }
  return requestAuthState(request).socketAddress;
}
