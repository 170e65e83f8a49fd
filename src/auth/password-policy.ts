import { badInput } from '../errors.ts';
import { commonPasswords } from './common-passwords.ts';

/** What a password must satisfy; checked before anything is hashed or written. */
export const passwordRules = {
  minChars: 8,
  /** Bytes of UTF-8, the hash's input: caps the work one request can ask of argon2. */
  maxBytes: 256,
} as const;

/** Throws BAD_USER_INPUT naming the rule a new password breaks. */
export function checkNewPassword(password: string, email?: string): void {
  if (Buffer.byteLength(password, 'utf8') > passwordRules.maxBytes) {
    throw badInput(`password must be at most ${passwordRules.maxBytes} bytes`, { field: 'password' });
  }
  if ([...password].length < passwordRules.minChars) {
    throw badInput(`password must be at least ${passwordRules.minChars} characters`, { field: 'password' });
  }
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower) || (email && lower === email.toLowerCase())) {
    throw badInput('password is too common; choose another', { field: 'password' });
  }
}

/** A password offered to sign in: only the size limit applies (old passwords may predate the rules). */
export function checkOfferedPassword(password: string): void {
  if (Buffer.byteLength(password, 'utf8') > passwordRules.maxBytes) {
    throw badInput(`password must be at most ${passwordRules.maxBytes} bytes`, { field: 'password' });
  }
}
