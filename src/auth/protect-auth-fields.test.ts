import { describe, expect, it } from 'vitest';
import type { PendingWrite } from '../events/index.ts';
import { protectAuthFields } from './protect-auth-fields.ts';

const viewer = { id: 1, roles: ['user'] };
const write = (w: Partial<PendingWrite>): PendingWrite => ({ model: 'User', operation: 'update', viewer, db: null, ...w });
const observer = protectAuthFields();
const before = (w: Partial<PendingWrite>) => observer.beforeWrite!(write(w));

describe('protectAuthFields', () => {
  it("refuses a viewer's update of email, emailVerified or passwordHash, naming the field", () => {
    for (const field of ['email', 'emailVerified', 'passwordHash']) {
      expect(() => before({ data: { [field]: 'x' } })).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining(`User.${field}`) }));
    }
  });

  it('lets the app write its own fields, roles (under their field rules) and other models', () => {
    expect(before({ data: { name: 'Ada', roles: 'user,editor' } })).toBeUndefined();
    expect(before({ model: 'Post', data: { email: 'x' } })).toBeUndefined();
    expect(before({ operation: 'delete', data: undefined })).toBeUndefined();
  });

  it('on create: normalises the e-mail, refuses a proven address or a password hash', () => {
    expect(before({ operation: 'create', data: { email: ' Ada@Example.ORG ', name: 'Ada' } })).toEqual({ email: 'ada@example.org', name: 'Ada' });
    expect(() => before({ operation: 'create', data: { email: 'a@b.c', emailVerified: true } })).toThrow(/User.emailVerified/);
    expect(() => before({ operation: 'create', data: { email: 'not an address' } })).toThrow(/e-mail address/);
  });

  it('trusted server code (no viewer) is not checked', () => {
    expect(before({ viewer: null, data: { email: 'moved@example.org', emailVerified: true } })).toBeUndefined();
  });
});
