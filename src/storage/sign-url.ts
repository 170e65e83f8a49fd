import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 over the parts a signed link fixes (method, key, expiry and the headers it grants),
 * so changing any of them, or the expiry, breaks the signature.
 */
export function signParts(secret: string, parts: readonly string[]): string {
  return createHmac('sha256', secret).update(parts.join('\n')).digest('base64url');
}

export function verifyParts(secret: string, parts: readonly string[], signature: string | null): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signParts(secret, parts));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
