import { describe, expect, it } from 'vitest';
import { apiTokenPrefix, generateToken, hashToken, isTokenShaped, publicIdOf, safeEqual } from './random-token.ts';

describe('random tokens', () => {
  it('are 32 base32 characters (160 bits), unique, with an optional prefix', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(isTokenShaped(token)).toBe(true);
    const api = generateToken(apiTokenPrefix);
    expect(isTokenShaped(api, apiTokenPrefix)).toBe(true);
    expect(isTokenShaped(api)).toBe(false);
  });

  it('hash to SHA-256 hex; public ids are derived one-way and differ from the hash', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const hash = hashToken(generateToken());
    expect(publicIdOf(hash)).toMatch(/^[0-9a-f]{24}$/);
    expect(hash).not.toContain(publicIdOf(hash));
  });

  it('safeEqual compares whole strings', () => {
    expect(safeEqual('state-123', 'state-123')).toBe(true);
    expect(safeEqual('state-123', 'state-124')).toBe(false);
    expect(safeEqual('state-123', 'state-1234')).toBe(false);
  });
});
