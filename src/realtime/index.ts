/**
 * Realtime: for every model, `postCreated/Updated/Deleted/Changed(where)` subscriptions and
 * `query @live`, fed by the change events of the event bus and checked per subscriber against the
 * access rules (in memory where the row's columns decide; where relations do, one statement per
 * event and linked row for every subscriber together, each viewer decided in memory). Transports: graphql-ws on /graphql, SSE (yoga's own, and the graphql-sse
 * protocol on /graphql/stream).
 */
export { createRealtime, type Realtime, type RealtimeOptions } from './create-realtime.ts';
export { realtimeNames } from './register-subscription-fields.ts';
export { missedEventsResult } from './operation-registry.ts';
export { changeTopic, type ChangeMessage } from './change-topics.ts';
export { createAsyncQueue, type AsyncQueue } from './async-queue.ts';
export { type Presence } from './presence.ts';
export { createMemoryPresenceStore, createRedisPresenceStore, type PresenceStore } from './presence-store.ts';
