import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryEventBus, createRedisEventBus, type EventBus } from '../../src/events/index.ts';
import { sharedRedisUrl, startOwnRedis } from '../support/redis-server.ts';

/** Messages of `topic` in arrival order, and a way to wait for the n-th. */
async function listen(bus: EventBus, topic: string) {
  const messages: unknown[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const stop = await bus.subscribe(topic, (m) => {
    messages.push(m);
    for (const w of waiters.filter((w) => messages.length >= w.count)) w.resolve();
  });
  return {
    messages,
    stop,
    until: (count: number) =>
      messages.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
  };
}

interface Implementation {
  name: string;
  /** Two handles on one transport (two instances of a deployment); the memory bus is one instance. */
  pair(): Promise<[EventBus, EventBus]>;
}

const prefix = () => `test:${randomBytes(6).toString('hex')}:`;
const implementations: Implementation[] = [
  { name: 'memory', pair: async () => { const bus = createMemoryEventBus(); return [bus, bus]; } },
  {
    name: 'redis',
    pair: async () => {
      const channelPrefix = prefix();
      return [createRedisEventBus({ url: sharedRedisUrl, channelPrefix }), createRedisEventBus({ url: sharedRedisUrl, channelPrefix })];
    },
  },
];

for (const implementation of implementations) {
  describe(`EventBus contract [${implementation.name}]`, () => {
    const open: EventBus[] = [];
    const pair = async () => {
      const buses = await implementation.pair();
      open.push(...buses);
      return buses;
    };
    afterEach(async () => {
      await Promise.all([...new Set(open.splice(0))].map((b) => b.close()));
    });

    it('delivers to every listener of the topic, on every instance, in publish order, keeping Date, bigint and bytes', async () => {
      const [a, b] = await pair();
      const onA = await listen(a, 'Post');
      const onB = await listen(b, 'Post');
      const message = { at: new Date('2026-01-02T03:04:05.000Z'), big: 12345678901234567890n, bytes: new Uint8Array([1, 2, 255]), n: null, list: [1, 'x'] };
      await a.publish('Post', message);
      await a.publish('Post', { second: true });
      await Promise.all([onA.until(2), onB.until(2)]);
      for (const received of [onA.messages, onB.messages]) {
        expect(received).toEqual([message, { second: true }]);
        expect((received[0] as typeof message).at).toBeInstanceOf(Date);
      }
    });

    it('keeps topics apart, and stops delivering after unsubscribe', async () => {
      const [a, b] = await pair();
      const posts = await listen(b, 'Post');
      const users = await listen(b, 'User');
      await a.publish('User', { user: 1 });
      await users.until(1);
      posts.stop();
      await a.publish('Post', { post: 'after stop' });
      // A later message on a topic still listened to proves the earlier one had its chance.
      await a.publish('User', { user: 2 });
      await users.until(2);
      expect(posts.messages).toEqual([]);
      expect(users.messages).toEqual([{ user: 1 }, { user: 2 }]);
    });

    it('one function subscribed twice is two subscriptions; stopping one leaves the other', async () => {
      const [a, b] = await pair();
      const seen: unknown[] = [];
      const first = await b.subscribe('T', (m) => seen.push(m));
      const done = listen(b, 'T');
      await b.subscribe('T', (m) => seen.push(m));
      const waiter = await done;
      await a.publish('T', 1);
      await waiter.until(1);
      expect(seen).toEqual([1, 1]);
      first();
      await a.publish('T', 2);
      await waiter.until(2);
      expect(seen).toEqual([1, 1, 2]);
    });

    it('publishing to a topic nobody listens to is fine; a closed bus refuses to publish', async () => {
      const [a] = await pair();
      await a.publish('Nobody', { x: 1 });
      await a.close();
      await expect(a.publish('Nobody', {})).rejects.toThrow(/closed/);
    });
  });
}

describe('Redis event bus', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('SUBSCRIBEs a channel for its first listener and UNSUBSCRIBEs after its last (Redis load follows topics, not subscribers)', async () => {
    const channelPrefix = prefix();
    const bus = createRedisEventBus({ url: sharedRedisUrl, channelPrefix });
    const admin = new Redis(sharedRedisUrl);
    closers.push(() => bus.close(), async () => void admin.disconnect());
    const subscribersOf = async () => Number(((await admin.pubsub('NUMSUB', `${channelPrefix}Post`)) as [string, number])[1]);
    expect(await subscribersOf()).toBe(0);
    const stops = await Promise.all(Array.from({ length: 5 }, () => bus.subscribe('Post', () => {})));
    expect(await subscribersOf()).toBe(1);
    for (const stop of stops.slice(1)) stop();
    expect(await subscribersOf()).toBe(1);
    stops[0]!();
    // UNSUBSCRIBE is sent without waiting; a round trip on the same connection orders after it.
    await bus.subscribe('Other', () => {});
    expect(await subscribersOf()).toBe(0);
  });

  it('ignores messages it cannot decode (a foreign publisher on the channel) and keeps delivering', async () => {
    const channelPrefix = prefix();
    const errors: unknown[] = [];
    const bus = createRedisEventBus({ url: sharedRedisUrl, channelPrefix, logError: (e) => errors.push(e) });
    const raw = new Redis(sharedRedisUrl);
    closers.push(() => bus.close(), async () => void raw.disconnect());
    const posts = await listen(bus, 'Post');
    await raw.publish(`${channelPrefix}Post`, '{not json');
    await bus.publish('Post', { ok: true });
    await posts.until(1);
    expect(posts.messages).toEqual([{ ok: true }]);
    expect(String(errors[0])).toMatch(/undecodable/);
  });

  it('when Redis restarts, re-subscribes, tells gap listeners events may have been missed, and delivers again', async () => {
    const redis = await startOwnRedis();
    const bus = createRedisEventBus({ url: redis.url, logError: () => {} });
    closers.push(() => bus.close(), () => redis.stop());
    const posts = await listen(bus, 'Post');
    let gaps = 0;
    let gapSeen!: () => void;
    const gap = new Promise<void>((resolve) => (gapSeen = resolve));
    bus.onGap(() => {
      gaps += 1;
      gapSeen();
    });
    await bus.publish('Post', { n: 1 });
    await posts.until(1);
    expect(gaps).toBe(0);

    await redis.stop();
    await redis.start();
    await gap;
    await bus.publish('Post', { n: 2 });
    await posts.until(2);
    expect(posts.messages).toEqual([{ n: 1 }, { n: 2 }]);
    expect(gaps).toBe(1);
  });
});
