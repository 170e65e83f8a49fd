import { describe, expect, it } from 'vitest';
import { createMemoryEventBus, type EventBus } from '../events/index.ts';
import { createSessionCache } from './create-session-cache.ts';
import { createSessionManager } from './create-session-manager.ts';
import { createMemorySessionStore } from './memory-session-store.ts';
import type { SessionStore } from './session-store.ts';

const day = 24 * 3600_000;

/** A memory store that counts lookups, a bus whose gaps the test triggers, and a clock. */
async function setup(settings: { ttlMs?: number; maxEntries?: number } = {}) {
  let at = Date.UTC(2026, 0, 1);
  const now = () => new Date(at);
  const inner = createMemorySessionStore();
  let finds = 0;
  let extends_ = 0;
  const store: SessionStore = {
    ...inner,
    find: (id) => (finds++, inner.find(id)),
    extend: (id, expiresAt) => (extends_++, inner.extend(id, expiresAt)),
  };
  const gaps = new Set<() => void>();
  const memory = createMemoryEventBus();
  const bus: EventBus = { ...memory, onGap: (listener) => (gaps.add(listener), () => gaps.delete(listener)) };
  const cache = createSessionCache({ ...settings, bus, now, logError: (error) => { throw error; } });
  await new Promise((resolve) => setTimeout(resolve, 0)); // the bus subscription is live
  const sessions = createSessionManager({ store, now, ttlMs: 30 * day, cache });
  return {
    sessions,
    cache,
    bus,
    finds: () => finds,
    extends: () => extends_,
    advance: (ms: number) => void (at += ms),
    gap: () => gaps.forEach((listener) => listener()),
  };
}

describe('createSessionCache', () => {
  it('answers a second check from memory for ttlMs, then asks the store again', async () => {
    const { sessions, finds, advance } = await setup({ ttlMs: 5000 });
    const { token } = await sessions.create('u1');
    await sessions.validate(token);
    await sessions.validate(token);
    expect(finds()).toBe(1);
    advance(4999);
    await sessions.validate(token);
    expect(finds()).toBe(1);
    advance(1);
    expect(await sessions.validate(token)).toMatchObject({ user: { id: 'u1' } });
    expect(finds()).toBe(2);
  });

  it('never believes an entry past the session expiry', async () => {
    const { sessions, cache, finds, advance } = await setup({ ttlMs: 60 * day });
    const { token, session } = await sessions.create('u1');
    await sessions.validate(token);
    advance(30 * day); // expired: the entry lapsed with it, the store is asked and the session deleted
    expect(await sessions.validate(token)).toBeNull();
    expect(finds()).toBe(2);
    expect(cache.has(session.id)).toBe(false);
  });

  it('sliding renewal still happens on a hit, once, and the renewed session outlives the old expiry', async () => {
    const { sessions, finds, extends: extended, advance } = await setup({ ttlMs: 60 * day });
    const { token } = await sessions.create('u1');
    await sessions.validate(token);
    advance(16 * day);
    expect(await sessions.validate(token)).toMatchObject({ renewed: true });
    expect(await sessions.validate(token)).toMatchObject({ renewed: false });
    expect([finds(), extended()]).toEqual([1, 1]);
    advance(20 * day); // 36 days in, 20 after the renewal
    expect(await sessions.validate(token)).toMatchObject({ user: { id: 'u1' } });
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const { sessions, cache } = await setup({ maxEntries: 2 });
    const made = [await sessions.create('a'), await sessions.create('b'), await sessions.create('c')];
    for (const { token } of made) await sessions.validate(token);
    expect(cache.size).toBe(2);
    expect(made.map(({ session }) => cache.has(session.id))).toEqual([false, true, true]);
  });

  it('a lookup in flight when a revocation arrives does not fill the cache', async () => {
    const { sessions, cache } = await setup();
    const { token, session } = await sessions.create('u1');
    const checking = sessions.validate(token); // reads the store; the revocation lands before it returns
    await cache.revokeUser('u1');
    expect(await checking).not.toBeNull();
    expect(cache.has(session.id)).toBe(false);
  });

  it('revocations from another instance on the bus drop entries; a bus gap drops them all', async () => {
    const { sessions, cache, bus, gap } = await setup();
    const one = await sessions.create('u1');
    const two = await sessions.create('u2');
    await sessions.validate(one.token);
    await sessions.validate(two.token);
    await bus.publish('auth:sessions', { sessionId: one.session.id, nonce: 'elsewhere' });
    expect([cache.has(one.session.id), cache.has(two.session.id)]).toEqual([false, true]);
    gap();
    expect(cache.size).toBe(0);
  });

  it('caches nothing once closed', async () => {
    const { sessions, cache } = await setup();
    await cache.close();
    const { token } = await sessions.create('u1');
    await sessions.validate(token);
    expect(cache.size).toBe(0);
  });
});

describe('createSessionCache before its subscription is live', () => {
  it('caches nothing, but still publishes its revocations for the other instances', async () => {
    const memory = createMemoryEventBus();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A bus whose SUBSCRIBE takes its time (Redis still connecting).
    const slow: EventBus = { ...memory, subscribe: async (topic, listener) => (await held, memory.subscribe(topic, listener)) };
    const heard: unknown[] = [];
    await memory.subscribe('auth:sessions', (message) => heard.push(message));
    const cache = createSessionCache({ bus: slow, now: () => new Date(), logError: (error) => { throw error; } });
    const sessions = createSessionManager({ store: createMemorySessionStore(), now: () => new Date(), ttlMs: 30 * day, cache });
    const { token } = await sessions.create('u1');
    await sessions.validate(token);
    expect(cache.size).toBe(0);
    await cache.revokeUser('u1');
    expect(heard).toMatchObject([{ userId: 'u1' }]);
    release();
    await cache.ready();
    await sessions.validate(token);
    expect(cache.size).toBe(1);
    await cache.close();
  });
});
