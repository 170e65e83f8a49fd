import { DirectiveLocation, GraphQLDirective, GraphQLInt, GraphQLSchema, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Datamodel } from '../db/index.ts';
import type { EventBus } from '../events/index.ts';
import type { Context } from '../schema/index.ts';
import { createAsyncQueue } from './async-queue.ts';
import { changeTopic } from './change-topics.ts';
import type { OpenOperation } from './operation-registry.ts';
import { trackReads } from './track-reads.ts';

export const liveDirective = new GraphQLDirective({
  name: 'live',
  description:
    'Keeps a query open: the result is sent again (run in your own context, so the rules hold) whenever a change touches a model it read, at most once per `throttle` ms (never below CAIRN_LIVE_THROTTLE_MS); an unchanged result is not re-sent.',
  locations: [DirectiveLocation.QUERY],
  args: { throttle: { type: GraphQLInt, description: 'The least time between two results, in ms.' } },
});

export interface LiveQueries {
  /** Live queries listening for changes (after their first run). */
  readonly active: number;
  stream(args: ExecutionArgs, execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult, operation: OpenOperation): AsyncIterableIterator<ExecutionResult>;
}

export interface LiveQueryOptions {
  bus: EventBus;
  datamodel: Datamodel;
  /** CAIRN_LIVE_THROTTLE_MS: the least time between two runs of one live query. */
  throttleMs: number;
  logError(error: unknown): void;
}

/** The schema with `@live` declared, so clients, GraphiQL and codegen validate it. */
export function withLiveDirective(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, liveDirective] });
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> => !!value && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

export function createLiveQueries({ bus, datamodel, throttleMs, logError }: LiveQueryOptions): LiveQueries {
  let active = 0;
  return {
    get active() {
      return active;
    },
    stream(args, execute, operation) {
      const requested = throttleOf(args);
      const throttle = Math.max(throttleMs, requested ?? 0);
      const topics = new Map<string, () => void>();
      let closed = false;
      let running = false;
      let dirty = false;
      let lastRun = 0;
      let timer: NodeJS.Timeout | undefined;
      let last: string | undefined;
      let counted = false;
      const out = createAsyncQueue<ExecutionResult>({
        onReturn: () => {
          closed = true;
          if (counted) active -= 1;
          clearTimeout(timer);
          for (const stop of topics.values()) stop();
        },
      });

      const schedule = () => {
        if (closed) return;
        if (running) {
          dirty = true;
          return;
        }
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          void run();
        }, Math.max(0, lastRun + throttle - Date.now()));
      };

      const run = async () => {
        running = true;
        dirty = false;
        lastRun = Date.now();
        const read = new Set<string>();
        const base = args.contextValue as Context;
        // A fresh context per run: per-request caches (loaders, plugin-prisma's) start empty.
        const contextValue = { ...base, db: trackReads(base.db, datamodel, read) };
        let result: ExecutionResult;
        try {
          const value = await execute({ ...args, contextValue });
          result = isAsyncIterable(value) ? { errors: [new Error('@live cannot be combined with @defer or @stream') as never] } : value;
        } catch (error) {
          logError(error);
          result = { errors: [new Error('Unexpected error.') as never] };
        }
        // Listening starts after the first run found what it reads: one more run covers a change in between.
        for (const model of read) {
          if (topics.has(model) || closed) continue;
          topics.set(model, () => {});
          const stop = await bus.subscribe(changeTopic(model), schedule);
          if (closed) stop();
          else topics.set(model, stop);
          dirty = true;
        }
        if (!counted && !closed) {
          counted = true;
          active += 1;
        }
        const text = JSON.stringify(result);
        if (text !== last && !closed) {
          last = text;
          out.push(result);
        }
        running = false;
        if (dirty) schedule();
      };

      operation.onGap = schedule;
      void run();
      return out;
    },
  };
}

function throttleOf(args: ExecutionArgs): number | undefined {
  for (const definition of args.document.definitions) {
    if (definition.kind !== 'OperationDefinition') continue;
    if (args.operationName && definition.name?.value !== args.operationName) continue;
    const live = definition.directives?.find((d) => d.name.value === 'live');
    const arg = live?.arguments?.find((a) => a.name.value === 'throttle');
    if (!arg) return undefined;
    if (arg.value.kind === 'IntValue') return Number(arg.value.value);
    if (arg.value.kind === 'Variable') {
      const v = args.variableValues?.[arg.value.name.value];
      return typeof v === 'number' ? v : undefined;
    }
  }
  return undefined;
}
