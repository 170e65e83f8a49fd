import { describe, expect, it } from 'vitest';
import { assertCookieOrigin, assertNotCrossSite } from './request-origin.ts';

const trusted = new Set(['https://app.example.com']);
const request = (method: string, origin?: string) =>
  new Request('https://api.example.com/graphql', { method, headers: origin ? { origin } : {} });
const refused = (fn: () => void) => {
  try {
    fn();
    return false;
  } catch (error) {
    expect((error as { code: string }).code).toBe('FORBIDDEN');
    return true;
  }
};

describe('Origin checks', () => {
  it('cookie + non-GET: Origin must be present and trusted (or the same host)', () => {
    expect(refused(() => assertCookieOrigin(request('POST', 'https://app.example.com'), trusted))).toBe(false);
    expect(refused(() => assertCookieOrigin(request('POST', 'https://api.example.com'), trusted))).toBe(false);
    expect(refused(() => assertCookieOrigin(request('POST'), trusted))).toBe(true);
    expect(refused(() => assertCookieOrigin(request('POST', 'https://evil.example'), trusted))).toBe(true);
    expect(refused(() => assertCookieOrigin(request('POST', 'null'), trusted))).toBe(true);
  });

  it('cookie + GET: no Origin is fine (navigation), a foreign one is not', () => {
    expect(refused(() => assertCookieOrigin(request('GET'), trusted))).toBe(false);
    expect(refused(() => assertCookieOrigin(request('GET', 'https://evil.example'), trusted))).toBe(true);
  });

  it('sign-in: no Origin passes (servers), a foreign Origin does not (login CSRF)', () => {
    expect(refused(() => assertNotCrossSite(request('POST'), trusted))).toBe(false);
    expect(refused(() => assertNotCrossSite(request('POST', 'https://app.example.com'), trusted))).toBe(false);
    expect(refused(() => assertNotCrossSite(request('POST', 'https://evil.example'), trusted))).toBe(true);
  });
});
