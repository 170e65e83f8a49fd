import type { ChangeEvent, PendingWrite, WriteObserver } from '../events/index.ts';
import type { Jobs } from '../jobs/index.ts';
import { toJson } from '../jobs/index.ts';
import type { Notify, NotifyInput, NotifyReceipt } from '../notify/index.ts';
import type { Viewer } from '../schema/index.ts';
import type { ServerContext } from './functions.ts';

/** What a `before` hook sees besides the data: who writes, and the write's own transaction. */
export interface BeforeHookContext {
  model: string;
  operation: PendingWrite['operation'];
  /** The row's key (update, delete). */
  key?: Record<string, unknown>;
  viewer: Viewer | null;
  /** The raw transaction client (rules off): what you read or write here commits or rolls back with the write. */
  db: any;
  /** Jobs enqueued here exist only if the write commits. */
  jobs: Pick<Jobs, 'enqueue'>;
  /** Notifications sent here are enqueued in the write's transaction: sent only if it commits. */
  notify: (input: NotifyInput) => Promise<NotifyReceipt>;
}

/** Returns replacement data, nothing to keep it, or throws (a CairnError: `forbidden(…)`, `badInput(…)`) to refuse the write. */
export type BeforeHook = (data: Record<string, unknown>, ctx: BeforeHookContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
/** Runs after COMMIT through the job queue (at least once; retried if it throws); the change arrives as JSON (dates as ISO strings, BigInt as strings). */
export type AfterHook = (change: ChangeEvent, ctx: ServerContext) => Promise<unknown> | unknown;

export interface ModelHooks {
  beforeCreate?: BeforeHook;
  beforeUpdate?: BeforeHook;
  /** Gets `{}` as data; refuse by throwing. */
  beforeDelete?: BeforeHook;
  afterCreate?: AfterHook;
  afterUpdate?: AfterHook;
  afterDelete?: AfterHook;
}

/** The internal job that runs after hooks. */
export const afterHooksJob = 'cairn.after-hooks';

const before = { create: 'beforeCreate', update: 'beforeUpdate', delete: 'beforeDelete' } as const;
const after = { created: 'afterCreate', updated: 'afterUpdate', deleted: 'afterDelete' } as const;

export function validateHooks(hooks: Record<string, ModelHooks>, models: readonly string[]): void {
  for (const [model, set] of Object.entries(hooks)) {
    if (!models.includes(model)) throw new Error(`hooks.${model}: no model "${model}" in the schema (models: ${models.join(', ')})`);
    for (const [name, fn] of Object.entries(set ?? {})) {
      if (![...Object.values(before), ...Object.values(after)].includes(name as never)) throw new Error(`hooks.${model}.${name}: unknown hook (beforeCreate, beforeUpdate, beforeDelete, afterCreate, afterUpdate, afterDelete)`);
      if (typeof fn !== 'function') throw new Error(`hooks.${model}.${name}: must be a function`);
    }
  }
}

export const hasAfterHooks = (hooks: Record<string, ModelHooks>) => Object.values(hooks).some((set) => Object.values(after).some((name) => set[name]));

/**
 * Model hooks on the write path: `before` hooks in the transaction after the rules (they may
 * replace the data or refuse: nothing of the write is kept); `after` hooks as a job enqueued in
 * the same transaction before COMMIT, so they run at least once for every committed change and
 * never for a rolled-back one, outside the client's request.
 */
export function createHooksObserver(hooks: Record<string, ModelHooks>, jobs: () => Jobs, notify: () => Notify): WriteObserver {
  const anyBefore = Object.values(hooks).some((set) => Object.values(before).some((name) => set[name]));
  // Only the methods in use, and only for the models with hooks: a beforeWrite or beforeCommit
  // observer puts each write it sees in a transaction.
  return {
    models: Object.keys(hooks).filter((model) => Object.values(hooks[model] ?? {}).some(Boolean)),
    ...(anyBefore && {
      async beforeWrite(write: PendingWrite) {
        const hook = hooks[write.model]?.[before[write.operation]];
        if (!hook) return;
        const replaced = await hook(write.data ?? {}, { model: write.model, operation: write.operation, key: write.key, viewer: write.viewer as Viewer | null, db: write.db, jobs: jobs().within(write.db), notify: notify().within(write.db) });
        return replaced ?? undefined;
      },
    }),
    ...(hasAfterHooks(hooks) && {
      async beforeCommit(changes: readonly ChangeEvent[], db: unknown) {
        const queue = jobs().within(db);
        for (const change of changes) {
          if (!hooks[change.model]?.[after[change.kind]]) continue;
          await queue.enqueue(afterHooksJob, JSON.parse(toJson(change)));
        }
      },
    }),
  };
}

/** The job handler behind `after` hooks. */
export function afterHooksHandler(hooks: Record<string, ModelHooks>) {
  return async (run: { payload: ChangeEvent }, ctx: ServerContext) => {
    const change = run.payload;
    await hooks[change.model]?.[after[change.kind]]?.(change, ctx);
  };
}
