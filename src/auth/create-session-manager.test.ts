import { describe, expect, it } from 'vitest';
import { createSessionManager } from './create-session-manager.ts';
import { createMemorySessionStore } from './memory-session-store.ts';
import { hashToken } from './random-token.ts';

const day = 24 * 3600_000;

function setup() {
  let at = Date.UTC(2026, 0, 1);
  const store = createMemorySessionStore();
  const sessions = createSessionManager({ store, now: () => new Date(at), ttlMs: 30 * day });
  return { store, sessions, advance: (ms: number) => void (at += ms), now: () => at };
}

describe('createSessionManager', () => {
  it('issues a 160-bit base32 token and stores only its SHA-256', async () => {
    const { store, sessions } = setup();
    const { token, session } = await sessions.create('u1', { userAgent: 'x'.repeat(600), ip: '192.0.2.1' });
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(session.id).toBe(hashToken(token));
    expect(session.userAgent).toHaveLength(512);
    expect(await store.find(token)).toBeNull();
  });

  it('renews only in the second half of the lifetime, to a full lifetime from now', async () => {
    const { sessions, advance, now } = setup();
    const { token, session } = await sessions.create('u1');
    advance(15 * day - 1);
    expect(await sessions.validate(token)).toMatchObject({ renewed: false, session: { expiresAt: session.expiresAt } });
    advance(1);
    const renewed = await sessions.validate(token);
    expect(renewed).toMatchObject({ renewed: true, user: { id: 'u1', roles: ['user'] } });
    expect(renewed!.session.expiresAt.getTime()).toBe(now() + 30 * day);
  });

  it('expires exactly at expiresAt and deletes the session', async () => {
    const { store, sessions, advance } = setup();
    const { token, session } = await sessions.create('u1');
    advance(30 * day);
    expect(await sessions.validate(token)).toBeNull();
    expect(await store.find(session.id)).toBeNull();
  });

  it('rejects malformed tokens without touching the store', async () => {
    const { sessions } = setup();
    const store = createMemorySessionStore();
    const strict = createSessionManager({ store: { ...store, find: () => Promise.reject(new Error('queried')) }, now: () => new Date(), ttlMs: day });
    for (const token of ['', 'short', 'A'.repeat(32), `${'a'.repeat(32)} `, 'a'.repeat(10_000)]) {
      expect(await strict.validate(token)).toBeNull();
      expect(await sessions.validate(token)).toBeNull();
    }
  });

  it('lists live sessions only; invalidateAll keeps the one it is told to', async () => {
    const { sessions, advance } = setup();
    const old = await sessions.create('u1');
    advance(20 * day);
    const a = await sessions.create('u1');
    const b = await sessions.create('u1');
    advance(11 * day); // `old` has expired unused
    expect((await sessions.list('u1')).map((s) => s.id).sort()).toEqual([a.session.id, b.session.id].sort());
    expect(await sessions.invalidateAll('u1', b.session.id)).toBe(2);
    expect((await sessions.list('u1')).map((s) => s.id)).toEqual([b.session.id]);
    expect(old.token).not.toBe(a.token);
  });
});
