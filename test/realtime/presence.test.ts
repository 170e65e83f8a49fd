import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createPresence } from '../../src/realtime/presence.ts';
import { createMemoryPresenceStore, createRedisPresenceStore, type PresenceStore } from '../../src/realtime/index.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { freePort, sharedRedisUrl } from '../support/redis-server.ts';

interface Implementation {
  name: string;
  /** Two handles on one store (two instances of a deployment); the memory store is one object. */
  pair(ttlMs?: number): [PresenceStore, PresenceStore];
}

const implementations: Implementation[] = [
  { name: 'memory', pair: () => { const store = createMemoryPresenceStore(); return [store, store]; } },
  {
    name: 'redis',
    pair: (ttlMs = 30_000) => {
      const prefix = `test:${randomBytes(6).toString('hex')}:`;
      return [createRedisPresenceStore({ url: sharedRedisUrl, prefix, ttlMs }), createRedisPresenceStore({ url: sharedRedisUrl, prefix, ttlMs })];
    },
  },
];

const t0 = 1_800_000_000_000;

for (const implementation of implementations) {
  describe(`PresenceStore contract [${implementation.name}]`, () => {
    const open: PresenceStore[] = [];
    const pair = (ttlMs?: number) => {
      const stores = implementation.pair(ttlMs);
      open.push(...stores);
      return stores;
    };
    afterEach(async () => {
      await Promise.all([...new Set(open.splice(0))].map((s) => s.close()));
    });

    it('a hold counts until its expiry, from either instance; unknown users and empty lists are offline', async () => {
      const [a, b] = pair();
      await a.hold('i1', ['ann', 'ben'], t0 + 1000);
      expect(await b.online(['ann', 'ben', 'cat'], t0)).toEqual(new Set(['ann', 'ben']));
      expect(await a.online(['ann'], t0 + 999)).toEqual(new Set(['ann']));
      // Not refreshed: it lapses (the instance died).
      expect(await b.online(['ann', 'ben'], t0 + 1000)).toEqual(new Set());
      expect(await b.online([], t0)).toEqual(new Set());
    });

    it('a refresh extends the hold; a release ends only that instance\'s hold', async () => {
      const [a, b] = pair();
      await a.hold('i1', ['ann'], t0 + 1000);
      await a.hold('i1', ['ann'], t0 + 5000);
      expect(await b.online(['ann'], t0 + 2000)).toEqual(new Set(['ann']));
      await b.hold('i2', ['ann'], t0 + 5000);
      await a.release('i1', ['ann']);
      expect(await a.online(['ann'], t0 + 2000)).toEqual(new Set(['ann']));
      await b.release('i2', ['ann']);
      expect(await a.online(['ann'], t0 + 2000)).toEqual(new Set());
      // Releasing what is not held is nothing.
      await b.release('i2', ['ann', 'nobody']);
      expect(await a.online(['ann', 'nobody'], t0)).toEqual(new Set());
    });

    it('user ids that look alike stay apart (numeric and string forms are the same id, others are not)', async () => {
      const [a, b] = pair();
      await a.hold('i1', ['1', 'user:2'], t0 + 1000);
      expect(await b.online(['1', '10', 'user:2', 'user'], t0)).toEqual(new Set(['1', 'user:2']));
    });

    it('presence across instances: coming online and going offline reach the other instance at once; closing releases', async () => {
      const [storeA, storeB] = pair();
      const localA = new Set<string>();
      const localB = new Set<string>();
      const a = createPresence({ store: storeA, ttlMs: 30_000, local: () => localA, isLocal: (id) => localA.has(id), logError: (e) => { throw e; } });
      const b = createPresence({ store: storeB, ttlMs: 30_000, local: () => localB, isLocal: (id) => localB.has(id), logError: (e) => { throw e; } });
      localA.add('7');
      a.changed('7', true);
      // Numbers in, the same numbers out.
      expect(await eventually(async () => (await b.online([7, 8])).has(7) && b.online([7, 8]))).toEqual(new Set([7]));
      localA.delete('7');
      a.changed('7', false);
      await eventually(async () => !(await b.online([7])).size);
      localA.add('7');
      a.changed('7', true);
      await eventually(async () => (await b.online([7])).size);
      // Closing releases its users (the store closed by it: no double close in afterEach).
      open.splice(open.indexOf(storeA), 1);
      await a.close();
      expect(await b.online([7])).toEqual(new Set());
      await a.close();
    });
  });
}

describe('presence without its store', () => {
  it('Redis unreachable: local users are still online, the rest count as offline (their push goes out) and the error is logged', async () => {
    const errors: unknown[] = [];
    const store = createRedisPresenceStore({ url: `redis://127.0.0.1:${await freePort()}`, prefix: 'test:down:', ttlMs: 30_000, logError: () => {} });
    const local = new Set(['1']);
    const presence = createPresence({ store, ttlMs: 30_000, local: () => local, isLocal: (id) => local.has(id), logError: (e) => errors.push(e) });
    expect(await presence.online([1, 2])).toEqual(new Set([1]));
    expect(errors.length).toBeGreaterThan(0);
    await presence.close();
  });
});
