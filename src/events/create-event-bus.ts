import type { EventBus } from './event-bus.ts';
import { createMemoryEventBus } from './memory-event-bus.ts';
import { createRedisEventBus } from './redis-event-bus.ts';

export interface EventBusOptions {
  /** `REDIS_URL`: share events between instances through Redis; in-process when absent. */
  redisUrl?: string;
  /** Channel prefix on Redis. @default "cairn:" */
  channelPrefix?: string;
  logError?: (error: unknown) => void;
}

/** The bus the configuration asks for: Redis when a URL is given, otherwise in-process. */
export function createEventBus({ redisUrl, channelPrefix, logError }: EventBusOptions): EventBus {
  return redisUrl ? createRedisEventBus({ url: redisUrl, channelPrefix, logError }) : createMemoryEventBus();
}
