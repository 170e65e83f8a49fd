import { describe, expect, it } from 'vitest';
import { readCookie, serializeCookie } from './cookies.ts';

describe('cookies', () => {
  it('serialises HttpOnly, SameSite=Lax cookies with Path, expiry and Secure', () => {
    expect(serializeCookie('a', 'v', { secure: true, expires: new Date(Date.UTC(2026, 0, 2)) })).toBe(
      'a=v; HttpOnly; SameSite=Lax; Path=/; Expires=Fri, 02 Jan 2026 00:00:00 GMT; Secure',
    );
    expect(serializeCookie('a', '', { secure: false, path: '/auth/', maxAge: 0 })).toBe('a=; HttpOnly; SameSite=Lax; Path=/auth/; Max-Age=0');
  });

  it('reads the first cookie of a name and ignores oversized headers', () => {
    const request = (cookie: string) => new Request('http://x/', { headers: { cookie } });
    expect(readCookie(request('x=1; cairn_session=abc; cairn_session=def'), 'cairn_session')).toBe('abc');
    expect(readCookie(request('cairn_sessionx=1'), 'cairn_session')).toBeUndefined();
    expect(readCookie(request(`pad=${'x'.repeat(9000)}; cairn_session=abc`), 'cairn_session')).toBeUndefined();
  });
});
