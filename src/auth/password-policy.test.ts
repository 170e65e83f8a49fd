import { describe, expect, it } from 'vitest';
import { checkNewPassword, checkOfferedPassword } from './password-policy.ts';

const message = (fn: () => void) => {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect((error as { code: string }).code).toBe('BAD_USER_INPUT');
    return (error as Error).message;
  }
};

describe('password policy', () => {
  it('accepts 8 characters to 256 bytes, counting characters and bytes of UTF-8', () => {
    expect(message(() => checkNewPassword('kangaroo-rhythm'))).toBeUndefined();
    expect(message(() => checkNewPassword('ñandú-7é'))).toBeUndefined(); // 8 characters, 11 bytes
    expect(message(() => checkNewPassword('x'.repeat(256)))).toBeUndefined();
    expect(message(() => checkNewPassword('seven77'))).toMatch(/at least 8 characters/);
    expect(message(() => checkNewPassword('é'.repeat(129)))).toMatch(/at most 256 bytes/);
  });

  it('rejects common passwords in any case, and the e-mail itself', () => {
    for (const pw of ['password', 'PASSWORD1', 'Qwerty123', '1q2w3e4r', 'iloveyou1']) expect(message(() => checkNewPassword(pw)), pw).toMatch(/too common/);
    expect(message(() => checkNewPassword('Ada@Example.org', 'ada@example.org'))).toMatch(/too common/);
  });

  it('offered passwords (sign-in) only have the size limit', () => {
    expect(message(() => checkOfferedPassword('short'))).toBeUndefined();
    expect(message(() => checkOfferedPassword('x'.repeat(257)))).toMatch(/at most 256 bytes/);
  });
});
