import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { and } from './filter-helpers.ts';
import type { ChangeEvent, EventBus } from '../events/index.ts';
import type { Row, SubscriberRules } from '../access/index.ts';
import type { Context } from '../schema/index.ts';
import { createAsyncQueue } from './async-queue.ts';
import { changeTopic, type ChangeMessage } from './change-topics.ts';
import { classifyChange, type ChangeKindSeen } from './classify-change.ts';
import type { EventScope, NodeLoader } from './load-node.ts';
import type { RowMatcher } from './match-row.ts';

/** Which events a field delivers: `postCreated`, `postUpdated`, `postDeleted`, or all (`postChanged`). */
export type ChangeFieldMode = 'created' | 'updated' | 'deleted' | 'changed';

const delivers: Record<ChangeFieldMode, ReadonlySet<ChangeKindSeen>> = {
  created: new Set(['CREATED']),
  // A row updated into view is an update to whoever only listens to updates.
  updated: new Set(['UPDATED', 'ENTERED']),
  deleted: new Set(['DELETED']),
  changed: new Set(['CREATED', 'UPDATED', 'DELETED', 'ENTERED', 'LEFT']),
};

export interface ChangePayload {
  kind: ChangeKindSeen;
  node: Row;
}

export interface ChangeStreams {
  /** The source stream of one subscription field: bus events, checked and loaded for this subscriber. */
  subscribe(model: string, where: unknown, mode: ChangeFieldMode, ctx: Context, info: GraphQLResolveInfo): Promise<AsyncIterableIterator<ChangePayload>>;
  /** Change streams with a live bus subscription (tests wait for these before writing). */
  readonly active: number;
}

export interface ChangeStreamDeps {
  bus: EventBus;
  rules: SubscriberRules;
  matcher: RowMatcher;
  loader: NodeLoader;
  /** Payloads buffered per subscriber before the oldest is dropped (and the subscriber told). */
  bufferLimit: number;
  /** Tells the operation of `ctx` that it may have missed events. */
  gap(ctx: Context): void;
  logError(error: unknown): void;
}

export function createChangeStreams(deps: ChangeStreamDeps): ChangeStreams {
  const { bus, rules, matcher, loader } = deps;
  // One memo per event object: every local subscriber receives the same decoded event.
  const scopes = new WeakMap<ChangeEvent, EventScope>();
  const scopeOf = (event: ChangeEvent) => {
    let scope = scopes.get(event);
    if (!scope) scopes.set(event, (scope = { probes: new Map(), nodes: new Map(), payloads: new Map() }));
    return scope;
  };
  let active = 0;

  return {
    get active() {
      return active;
    },
    async subscribe(modelName, where, mode, ctx, info) {
      const model = rules.info.model(modelName);
      const viewerRules = rules.forViewer(ctx.viewer);
      const filter = and(viewerRules.model(modelName, 'read'), rules.guardWhere(viewerRules, modelName, where) ?? true);
      const query = queryFromInfo({ context: ctx, info, ...(mode === 'changed' && { path: ['node'] }) }) as object;
      const wanted = delivers[mode];
      const group = loader.groupOf(ctx, query);
      let stop: (() => void) | undefined;
      let closed = false;
      const out = createAsyncQueue<ChangePayload>({
        limit: deps.bufferLimit,
        onOverflow: () => deps.gap(ctx),
        onReturn: () => {
          closed = true;
          if (stop) {
            stop();
            active -= 1;
          }
        },
      });
      // Events are handled one after another, so a subscriber sees them in commit order.
      let chain = Promise.resolve();
      const handle = async (event: ChangeEvent) => {
        if (closed) return;
        const scope = scopeOf(event);
        const kind = await classifyChange(matcher, model, filter, event, scope.probes);
        if (!kind || !wanted.has(kind)) return;
        const node = await loader.load(kind, event, query, ctx, viewerRules, scope, group);
        // Gone or hidden again by the time it was loaded: a later event tells the rest.
        if (!node) return;
        // One payload object per viewer, selection and kind: the execution of the selection over
        // it is shared by every subscriber that gets the same object (see share-execution.ts).
        const id = `${kind}:${group}`;
        let payload = scope.payloads.get(id) as ChangePayload | undefined;
        if (!payload) scope.payloads.set(id, (payload = { kind, node }));
        out.push(payload);
      };
      stop = await bus.subscribe(changeTopic(modelName), (message) => {
        for (const event of (message as ChangeMessage).changes) {
          chain = chain.then(() => handle(event)).catch(deps.logError);
        }
      });
      if (closed) stop();
      else active += 1;
      return out;
    },
  };
}
