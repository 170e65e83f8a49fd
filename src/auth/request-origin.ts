import { forbidden } from '../errors.ts';

/**
 * Whether a request's `Origin` may act with the session cookie: the public URL's origin, an
 * allowed origin, or the request's own host (same-origin, as Lucia checks it; browsers do not
 * let pages forge either header).
 */
export function isTrustedOrigin(origin: string, request: Request, allowed: ReadonlySet<string>): boolean {
  if (allowed.has(origin)) return true;
  try {
    return new URL(origin).host === new URL(request.url).host;
  } catch {
    return false;
  }
}

/**
 * CSRF defence for cookie-authenticated requests (Lucia: "check the Origin header"). A browser
 * always sends Origin on cross-origin requests and on same-origin non-GET ones, so:
 * - non-GET with the session cookie: Origin must be present and trusted;
 * - GET with the cookie: a present Origin must be trusted (a cross-origin fetch reading data).
 * Bearer tokens are not sent by browsers on their own, so they need no Origin.
 */
export function assertCookieOrigin(request: Request, allowed: ReadonlySet<string>): void {
  const origin = request.headers.get('origin');
  const safe = request.method === 'GET' || request.method === 'HEAD';
  if (origin === null ? !safe : !isTrustedOrigin(origin, request, allowed)) {
    throw forbidden(
      origin === null
        ? 'Cookie-authenticated requests need an Origin header (CSRF protection); send one or use a bearer token.'
        : `Origin ${origin.slice(0, 100)} may not use the session cookie (CSRF protection); allow it with CAIRN_ALLOWED_ORIGINS.`,
    );
  }
}

/**
 * Login CSRF: a foreign page must not sign a browser into an account. Mutations that set the
 * session cookie refuse a present, untrusted Origin (clients without one, e.g. servers, pass).
 */
export function assertNotCrossSite(request: Request, allowed: ReadonlySet<string>): void {
  const origin = request.headers.get('origin');
  if (origin !== null && !isTrustedOrigin(origin, request, allowed)) {
    throw forbidden(`Origin ${origin.slice(0, 100)} may not sign in here (CSRF protection); allow it with CAIRN_ALLOWED_ORIGINS.`);
  }
}
