import { integer, type Env } from './env-values.ts';

/** Realtime: the event bus between instances, live queries, subscription limits. */
export interface RealtimeConfig {
  // REDIS_URL (auth-config.ts) also carries change events between instances; in-process when unset.
  /** `CAIRN_REDIS_PREFIX`: prepended to Redis channel names, so deployments can share one Redis. @default "cairn:" */
  redisPrefix: string;
  /** `CAIRN_LIVE_THROTTLE_MS`: the least time between two results of one `@live` query. @default 250 */
  liveThrottleMs: number;
  /** `CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION`: open subscriptions and live queries per connection. @default 100 */
  maxSubscriptionsPerConnection: number;
  /** `CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER`: per signed-in user, across their connections, per instance. @default 500 */
  maxSubscriptionsPerViewer: number;
  /** `CAIRN_SUBSCRIPTION_RECHECK_MS`: how often open subscriptions' sessions are checked again. @default 5000 */
  subscriptionRecheckMs: number;
  /** `CAIRN_PRESENCE_TTL_MS`: a user online on an instance that died counts as offline after this. @default 30000 */
  presenceTtlMs: number;
}

export function loadRealtimeConfig(env: Env): RealtimeConfig {
  return {
    redisPrefix: env.CAIRN_REDIS_PREFIX || 'cairn:',
    liveThrottleMs: integer('CAIRN_LIVE_THROTTLE_MS', env.CAIRN_LIVE_THROTTLE_MS, 250, 0, 3_600_000),
    maxSubscriptionsPerConnection: integer('CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION', env.CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION, 100, 1, 100_000),
    maxSubscriptionsPerViewer: integer('CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER', env.CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER, 500, 1, 1_000_000),
    subscriptionRecheckMs: integer('CAIRN_SUBSCRIPTION_RECHECK_MS', env.CAIRN_SUBSCRIPTION_RECHECK_MS, 5000, 100, 3_600_000),
    presenceTtlMs: integer('CAIRN_PRESENCE_TTL_MS', env.CAIRN_PRESENCE_TTL_MS, 30_000, 300, 3_600_000),
  };
}
