import { Redis, type RedisOptions } from 'ioredis';
import type { BusListener, EventBus } from './event-bus.ts';
import { decodeMessage, encodeMessage } from './wire-codec.ts';

export interface RedisEventBusOptions {
  /** `REDIS_URL`, e.g. `redis://127.0.0.1:6379/0`. */
  url: string;
  /** Prepended to every topic to form the Redis channel, so deployments can share a Redis. @default "cairn:" */
  channelPrefix?: string;
  /** Where connection errors go (ioredis retries by itself). @default console.error */
  logError?: (error: unknown) => void;
  /** Passed to both ioredis connections (tests shorten the retry delay). */
  redis?: RedisOptions;
}

/**
 * The bus across instances over Redis pub/sub: one connection publishes, one subscribes. A
 * channel is SUBSCRIBEd when its first local listener arrives and UNSUBSCRIBEd after its last,
 * so Redis load follows topics in use, not subscribers. When the subscriber connection comes back
 * after a drop, every channel is subscribed again and then `onGap` listeners are told that
 * messages published meanwhile were lost.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const prefix = options.channelPrefix ?? 'cairn:';
  const logError = options.logError ?? console.error;
  const redisOptions: RedisOptions = {
    // Channels are re-subscribed here, before gap listeners run (ioredis would do it concurrently).
    autoResubscribe: false,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    ...options.redis,
  };
  const publisher = new Redis(options.url, redisOptions);
  // No ready check on the subscriber: its INFO can land after a SUBSCRIBE sent at boot, and Redis
  // refuses non-subscriber commands on a subscribed connection (an unhandled rejection in ioredis).
  const subscriber = new Redis(options.url, { ...redisOptions, enableReadyCheck: false });
  const topics = new Map<string, Set<BusListener>>();
  // The SUBSCRIBE of each topic in use: later listeners wait for the first one's, not their own.
  const subscribed = new Map<string, Promise<unknown>>();
  const gapListeners = new Set<() => void>();
  let closed = false;
  let dropped = false;

  for (const connection of [publisher, subscriber]) connection.on('error', (error) => closed || logError(error));
  subscriber.on('close', () => {
    if (!closed) dropped = true;
  });
  subscriber.on('ready', () => {
    if (!dropped || closed) return;
    dropped = false;
    const channels = [...topics.keys()].map((topic) => prefix + topic);
    const resubscribed = channels.length ? subscriber.subscribe(...channels) : Promise.resolve();
    resubscribed.then(
      () => {
        for (const listener of [...gapListeners]) listener();
      },
      (error) => logError(error),
    );
  });
  subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
    const topic = channel.toString().slice(prefix.length);
    const listeners = topics.get(topic);
    if (!listeners) return;
    let message: unknown;
    try {
      message = decodeMessage(payload.toString());
    } catch (error) {
      logError(new Error(`Ignored an undecodable message on Redis channel ${channel.toString()}`, { cause: error }));
      return;
    }
    for (const listener of [...listeners]) listener(message);
  });

  return {
    async publish(topic, message) {
      if (closed) throw new Error('The event bus is closed');
      await publisher.publish(prefix + topic, encodeMessage(message));
    },
    async subscribe(topic, listener) {
      if (closed) throw new Error('The event bus is closed');
      let listeners = topics.get(topic);
      if (!listeners) {
        topics.set(topic, (listeners = new Set()));
        subscribed.set(topic, subscriber.subscribe(prefix + topic));
      }
      const entry: BusListener = (message) => listener(message);
      listeners.add(entry);
      const unsubscribe = () => {
        listeners.delete(entry);
        if (listeners.size || topics.get(topic) !== listeners) return;
        topics.delete(topic);
        subscribed.delete(topic);
        if (!closed) subscriber.unsubscribe(prefix + topic).catch(logError);
      };
      try {
        await subscribed.get(topic);
      } catch (error) {
        unsubscribe();
        throw error;
      }
      return unsubscribe;
    },
    onGap(listener) {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      topics.clear();
      subscribed.clear();
      gapListeners.clear();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
