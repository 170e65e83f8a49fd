import { hash } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

const utf8 = new TextEncoder();

/** Marks personal API tokens, so a bearer token says which table to look in (and secret scanners spot leaks). */
export const apiTokenPrefix = 'cairn_pat_';

/** 20 random bytes (160 bits) from the CSPRNG, base32: Lucia's session token, 32 characters. */
export function generateToken(prefix = ''): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return prefix + encodeBase32LowerCaseNoPadding(bytes);
}

const tokenShape = /^[a-z2-7]{32}$/;

/** Whether `value` could be a token Cairn issued (anything else is rejected before hashing or a query). */
export function isTokenShaped(value: string, prefix = ''): boolean {
  return value.startsWith(prefix) && tokenShape.test(value.slice(prefix.length));
}

/**
 * All the database keeps of a token: its SHA-256 in hex. A leaked table grants nothing. Node's
 * native hash: every signed-in request hashes its token (the session cache's key), and the
 * JavaScript SHA-256 cost about 1% of a simple query's CPU.
 */
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

/**
 * An id for a stored token hash that lists can show: hashes are never selectable, and this one
 * cannot be turned back into the hash, let alone the token.
 */
export const publicIdOf = (tokenHash: string): string => hashToken(`cairn-public-id:${tokenHash}`).slice(0, 24);

/** String equality without an early exit, for secrets such as the OAuth state. */
export function safeEqual(a: string, b: string): boolean {
  return constantTimeEqual(utf8.encode(a), utf8.encode(b));
}
