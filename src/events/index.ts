/**
 * Change capture's contract: the events every committed write produces (see change-event.ts),
 * and the bus that carries them between instances (in-process by default, Redis with REDIS_URL).
 */
export type { ChangeEvent, ChangeKind, ChangeRow, ChangeListener, PendingWrite, WriteObserver } from './change-event.ts';
export type { EventBus, BusListener } from './event-bus.ts';
export { createMemoryEventBus } from './memory-event-bus.ts';
export { createRedisEventBus, type RedisEventBusOptions } from './redis-event-bus.ts';
export { createEventBus, type EventBusOptions } from './create-event-bus.ts';
export { encodeMessage, decodeMessage } from './wire-codec.ts';
