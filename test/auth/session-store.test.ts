import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySessionStore, createPrismaSessionStore, hashToken, type SessionRecord, type SessionStore } from '../../src/auth/index.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

/**
 * The SessionStore contract, run against every implementation: what the session manager relies
 * on, including the user's roles coming back with the session.
 */
function sessionStoreContract(setup: () => Promise<{ store: SessionStore; users: [string | number, string | number]; roles: string[] }>) {
  let store: SessionStore;
  let alice: string | number;
  let bob: string | number;
  let roles: string[];
  beforeAll(async () => {
    ({ store, users: [alice, bob], roles } = await setup());
  });
  const at = (iso: string) => new Date(iso);
  const session = (id: string, userId: string | number, createdAt: string, expiresAt: string): SessionRecord => ({
    id: hashToken(id),
    userId,
    createdAt: at(createdAt),
    expiresAt: at(expiresAt),
    userAgent: `agent ${id}`,
    ip: '192.0.2.1',
  });

  it('creates and finds a session with its user and roles; unknown ids are null', async () => {
    const s = session('a1', alice, '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z');
    await store.create(s);
    expect(await store.find(s.id)).toEqual({ session: s, user: { id: alice, roles } });
    expect(await store.find(hashToken('missing'))).toBeNull();
  });

  it('extends a session; extending or deleting a missing one is not an error', async () => {
    const s = session('a2', alice, '2026-01-02T00:00:00Z', '2026-02-01T00:00:00Z');
    await store.create(s);
    await store.extend(s.id, at('2026-03-01T00:00:00Z'));
    expect((await store.find(s.id))!.session.expiresAt).toEqual(at('2026-03-01T00:00:00Z'));
    await store.extend(hashToken('missing'), at('2026-03-01T00:00:00Z'));
    await store.delete(hashToken('missing'));
  });

  it('lists a user’s sessions newest first and never another user’s', async () => {
    await store.create(session('b1', bob, '2026-01-03T00:00:00Z', '2026-02-02T00:00:00Z'));
    expect((await store.listForUser(alice)).map((s) => s.userAgent)).toEqual(['agent a2', 'agent a1']);
    expect((await store.listForUser(bob)).map((s) => s.userAgent)).toEqual(['agent b1']);
  });

  it('deletes expired sessions of one user only', async () => {
    await store.create(session('a3', alice, '2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z'));
    await store.create(session('b2', bob, '2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z'));
    await store.deleteExpired(alice, at('2026-01-10T00:00:00Z'));
    expect((await store.listForUser(alice)).map((s) => s.userAgent)).toEqual(['agent a2', 'agent a1']);
    expect((await store.listForUser(bob)).map((s) => s.userAgent)).toEqual(['agent b2', 'agent b1']);
  });

  it('deletes one session, or all of a user’s but one, returning the count', async () => {
    await store.delete(hashToken('a1'));
    expect(await store.find(hashToken('a1'))).toBeNull();
    await store.create(session('a4', alice, '2026-01-06T00:00:00Z', '2026-02-06T00:00:00Z'));
    expect(await store.deleteForUser(alice, hashToken('a4'))).toBe(1);
    expect((await store.listForUser(alice)).map((s) => s.userAgent)).toEqual(['agent a4']);
    expect(await store.deleteForUser(alice)).toBe(1);
    expect(await store.listForUser(alice)).toEqual([]);
    expect(await store.listForUser(bob)).toHaveLength(2);
  });
}

describe('SessionStore contract [memory]', () => {
  sessionStoreContract(async () => {
    const roles = ['user', 'admin'];
    return { store: createMemorySessionStore((id) => ({ id, roles })), users: ['alice', 'bob'], roles };
  });
});

describeEachProvider('SessionStore contract [prisma]', (provider) => {
  let t: TestApp;
  afterAll(() => t.close());
  sessionStoreContract(async () => {
    t = await createTestApp('blog', provider);
    const make = async (email: string) => (await t.app.db.user.create({ data: { email, roles: 'user,admin' } })).id;
    return { store: createPrismaSessionStore(t.app.db), users: [await make('alice@store.test'), await make('bob@store.test')], roles: ['user', 'admin'] };
  });
});
