/** Attributes of a cookie Cairn sets; HttpOnly and SameSite=Lax always. */
export interface CookieOptions {
  /** Secure: on everywhere but plain-http development. */
  secure: boolean;
  /** @default "/" */
  path?: string;
  /** Persistent until this instant; omitted with maxAge. */
  expires?: Date;
  /** Seconds; 0 deletes the cookie. */
  maxAge?: number;
}

/** A `Set-Cookie` value. Names and values Cairn sets are base32/ASCII, so nothing needs escaping. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'HttpOnly', 'SameSite=Lax', `Path=${options.path ?? '/'}`];
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** A cookie's value from a request, or undefined. The first occurrence wins, as in browsers. */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header || header.length > 8192) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
