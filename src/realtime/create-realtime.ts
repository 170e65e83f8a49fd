import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createSubscriberRules, type ResolvedRules } from '../access/index.ts';
import type { DbClient, Provider } from '../db/index.ts';
import type { ChangeEvent, EventBus, WriteObserver } from '../events/index.ts';
import type { Context, SchemaExtension, Viewer } from '../schema/index.ts';
import { changeTopic, type ChangeMessage } from './change-topics.ts';
import { createLiveQueries, withLiveDirective } from './live-queries.ts';
import { createNodeLoader } from './load-node.ts';
import { createRowMatcher } from './match-row.ts';
import { OperationRegistry, sameViewer, sessionEnded } from './operation-registry.ts';
import { createPresence, type Presence, type PresenceTracker } from './presence.ts';
import { createMemoryPresenceStore, createRedisPresenceStore, type PresenceStore } from './presence-store.ts';
import { createBusImage, createChangePublisher } from './publish-changes.ts';
import { subscriptionFields } from './register-subscription-fields.ts';
import { createChangeStreams } from './subscribe-changes.ts';
import { useRealtime } from './use-realtime.ts';

export interface RealtimeOptions {
  bus: EventBus;
  /** The raw client: relation conditions of rules are asked of it (the rules are already in the filter). */
  db: DbClient;
  rules: ResolvedRules;
  provider: Provider;
  /** CAIRN_LIVE_THROTTLE_MS. @default 250 */
  liveThrottleMs?: number;
  /** CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION. @default 100 */
  maxPerConnection?: number;
  /** CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER. @default 500 */
  maxPerViewer?: number;
  /** Events buffered per subscriber before the oldest are dropped and it is told it missed some. @default 1000 */
  bufferLimit?: number;
  /**
   * CAIRN_SUBSCRIPTION_RECHECK_MS: how often every open operation's credentials are checked again
   * (a revoked or expired session, changed roles end its subscriptions). Changes to auth's own
   * models (User, Session, AuthToken) trigger the check for that user at once. @default 5000
   */
  recheckMs?: number;
  /** Finds the viewer for a connection's credentials again (the context factory's lookup). */
  resolveViewer?: (request: Request, connectionParams?: Record<string, unknown>) => Promise<Viewer | null>;
  /**
   * Where instances share who is online: Redis (`url`, keys under `prefix`, the bus's) when given,
   * otherwise this process only; `store` replaces both (tests). CAIRN_PRESENCE_TTL_MS: a user whose
   * instance died drops out within `ttlMs`. @default in-process, ttlMs 30000
   */
  presence?: { redisUrl?: string; prefix?: string; ttlMs?: number; store?: PresenceStore };
  logError?: (error: unknown) => void;
}

export interface Realtime {
  /** Publishes each committed write's changes to the bus (the write path calls it after COMMIT). */
  observer: WriteObserver;
  /** The subscription fields of every model. */
  extendSchema: SchemaExtension;
  /** `@live` declared on the schema. */
  withLiveDirective(schema: GraphQLSchema): GraphQLSchema;
  /** Limits, signals and live queries for every transport, plus the graphql-sse protocol at /graphql/stream. */
  plugins: Plugin<Record<string, unknown>, Context>[];
  /** Tells the streaming operation running with `ctx` that it may have missed events (a slow reader of another feature's stream). */
  gap(ctx: Context): void;
  /** Who is online: users with an open subscription or live query on any instance (`ctx.notify`'s `push: 'offline'`). */
  presence: Presence;
  /** Open streaming operations and change streams listening on the bus (tests and metrics). */
  stats(): { operations: number; streams: number; liveQueries: number };
  /** Completes every open subscription and live query. */
  close(): Promise<void>;
}

// Auth's models: a change to one of these rows may end the subscriptions of the user it belongs to.
const authModels: Record<string, (event: ChangeEvent) => unknown> = {
  User: (e) => e.key.id,
  Session: (e) => (e.before ?? e.after)?.userId,
  AuthToken: (e) => (e.before ?? e.after)?.userId,
};

/** Subscriptions and live queries: the change events of the bus, checked per subscriber. */
export function createRealtime(options: RealtimeOptions): Realtime {
  const { bus, db, rules: resolved, provider } = options;
  const logError = options.logError ?? console.error;
  const subscriberRules = createSubscriberRules(resolved);
  const matcher = createRowMatcher(db, subscriberRules.info, provider);
  const ttlMs = options.presence?.ttlMs ?? 30_000;
  const presenceStore =
    options.presence?.store ??
    (options.presence?.redisUrl ? createRedisPresenceStore({ url: options.presence.redisUrl, prefix: options.presence.prefix ?? 'cairn:', ttlMs, logError }) : createMemoryPresenceStore());
  // The registry reports viewers coming and going as it is built; presence is made right after it.
  let presence!: PresenceTracker;
  const registry = new OperationRegistry({ perConnection: options.maxPerConnection ?? 100, perViewer: options.maxPerViewer ?? 500 }, (viewer, online) => presence.changed(viewer, online));
  presence = createPresence({ store: presenceStore, ttlMs, local: () => registry.viewers(), isLocal: (id) => registry.hasViewer(id), logError });
  const streams = createChangeStreams({
    bus,
    rules: subscriberRules,
    matcher,
    loader: createNodeLoader(subscriberRules.info, matcher),
    bufferLimit: options.bufferLimit ?? 1000,
    gap: (ctx) => registry.find(ctx)?.gap(),
    logError,
  });
  const live = createLiveQueries({ bus, datamodel: resolved.datamodel, throttleMs: options.liveThrottleMs ?? 250, logError });
  const stopGap = bus.onGap(() => registry.gapAll());

  const recheck = async (viewerId?: string | number) => {
    const resolveViewer = options.resolveViewer;
    if (!resolveViewer) return;
    await Promise.all(
      [...registry.byConnection(viewerId)].map(async ([, group]) => {
        const first = group[0]!.ctx as Context & { connectionParams?: Record<string, unknown> };
        let viewer: Viewer | null;
        try {
          viewer = await resolveViewer(first.request, first.connectionParams);
        } catch {
          viewer = null;
        }
        for (const handle of group) if (!sameViewer(handle.ctx.viewer, viewer)) handle.fail(sessionEnded());
      }),
    );
  };
  const timer = setInterval(() => void recheck().catch(logError), options.recheckMs ?? 5000);
  timer.unref();
  const authStops = Object.entries(authModels)
    .filter(([model]) => resolved.datamodel.models.some((m) => m.name === model))
    .map(([model, userOf]) =>
      bus.subscribe(changeTopic(model), (message) => {
        const users = new Set((message as ChangeMessage).changes.map(userOf).filter((id) => id !== undefined && id !== null));
        for (const id of users) void recheck(id as string | number).catch(logError);
      }),
    );

  return {
    observer: createChangePublisher(bus, logError, createBusImage(resolved.datamodel, resolved)),
    extendSchema: subscriptionFields(streams),
    withLiveDirective,
    plugins: [useRealtime(registry, live), useGraphQLSSE() as Plugin<Record<string, unknown>, Context>],
    gap: (ctx) => registry.find(ctx)?.gap(),
    presence: { online: (userIds) => presence.online(userIds) },
    stats: () => ({ operations: registry.size, streams: streams.active, liveQueries: live.active }),
    async close() {
      clearInterval(timer);
      stopGap();
      for (const stop of await Promise.allSettled(authStops)) if (stop.status === 'fulfilled') stop.value();
      await registry.closeAll();
      // After the operations ended (a user online here until then); the releases go out before the store closes.
      await presence.close();
    },
  };
}
