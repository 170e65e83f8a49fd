import { requestAuthState } from './request-auth-state.ts';

/**
 * The client's address for throttling and the session list. With `trustedProxies` = 0 it is
 * the socket's peer and X-Forwarded-For is ignored (anyone can send one). Behind N proxies, each
 * appending the address it received the request from, it is the N-th entry from the right: the
 * one the outermost trusted proxy wrote; entries further left are whatever the client claimed.
 * With fewer entries than N, the leftmost one.
 */
export function clientAddress(request: Request, trustedProxies: number): string | undefined {
  return forwardedAddress(request.headers.get('x-forwarded-for'), trustedProxies) ?? requestAuthState(request).socketAddress;
}

/** The address the outermost of `trustedProxies` proxies wrote into X-Forwarded-For (see clientAddress). */
export function forwardedAddress(header: string | null | undefined, trustedProxies: number): string | undefined {
  if (trustedProxies <= 0) return undefined;
  const entries = (header ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return entries[Math.max(0, entries.length - trustedProxies)]?.slice(0, 64);
}
