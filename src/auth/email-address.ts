import { badInput } from '../errors.ts';

/** RFC 5321's limit on a forward path. */
const maxLength = 254;
const shape = /^[^\s@]+@[^\s@]+$/;

/**
 * The form every e-mail is stored and looked up in: trimmed and lower-cased, so "Ada@X.org " and
 * "ada@x.org" are one account. Only the shape is checked; the verification link proves the rest.
 */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > maxLength) throw badInput(`email must be at most ${maxLength} characters`, { field: 'email' });
  if (!shape.test(email)) throw badInput(`email must be an e-mail address, got "${email.slice(0, 80)}"`, { field: 'email' });
  return email;
}
