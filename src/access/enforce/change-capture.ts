import type { Datamodel, Model } from '../../db/index.ts';
import type { ChangeEvent, ChangeKind, WriteObserver } from '../../events/index.ts';
import type { AccessContext } from './access-context.ts';
import type { ModelInfo, Row } from './model-info.ts';

/**
 * The write path's side of change capture, built once per policy: which models produce change
 * events, and the observers called around every write.
 *
 * A model opts out with `/// @@changes(false)` in its documentation: its rows produce no events
 * (and *Many and cascades on it skip the reads that capture needs); `beforeWrite` still sees them.
 */
export interface ChangeCapture {
  /** Every observer, in list order. */
  readonly observers: readonly WriteObserver[];
  /** Whether some observer takes change events (else trusted code's `sudo()` is the raw client: nothing to capture). */
  readonly active: boolean;
  /** The observers that see writes to `model`, in list order. */
  observersFor(model: string): readonly WriteObserver[];
  /** Whether some observer sees rows of `model` before they are written. */
  intercepts(model: Model): boolean;
  /** Whether writes to `model` produce change events. */
  tracks(model: Model): boolean;
  /** Whether deleting rows of `model` produces events (its own, or of rows the database deletes or nulls with it). */
  tracksDelete(model: Model): boolean;
  /** Whether a write to `model` needs a transaction and row images (an observer is involved). */
  involves(model: Model, operation: 'create' | 'update' | 'delete'): boolean;
  /** Whether some observer acts inside the write's transaction on `model` (beforeWrite, beforeCommit): then a write of it needs one. */
  actsInTransaction(model: Model): boolean;
}

const optOut = /(^|\n)\s*@@changes\(\s*false\s*\)/;

interface ModelObservers {
  count: number;
  list: readonly WriteObserver[];
  listens: boolean;
  intercepts: boolean;
  inTransaction: boolean;
}

/**
 * `observers` may still grow after the policy is built (the app adds auth's once auth exists):
 * what each model needs is worked out on first use and again whenever the list has changed.
 */
export function createChangeCapture(info: ModelInfo, observers: readonly WriteObserver[] = []): ChangeCapture {
  const byModel = new Map<string, ModelObservers>();
  const forModel = (name: string): ModelObservers => {
    let entry = byModel.get(name);
    if (entry?.count !== observers.length) {
      const model = info.datamodel.models.find((m) => m.name === name);
      const list = observers.filter((o) => !o.models || o.models.includes(name));
      const quiet = optOut.test(model?.documentation ?? '');
      const intercepts = list.some((o) => o.beforeWrite);
      entry = { count: observers.length, list, listens: !quiet && list.some((o) => o.afterCommit || o.beforeCommit), intercepts, inTransaction: intercepts || (!quiet && list.some((o) => o.beforeCommit)) };
      byModel.set(name, entry);
      deleteTracked.clear();
    }
    return entry;
  };
  const tracks = (model: Model) => forModel(model.name).listens;
  const deleteTracked = new Map<string, boolean>();
  const tracksDelete = (model: Model): boolean => {
    forModel(model.name);
    const known = deleteTracked.get(model.name);
    if (known !== undefined) return known;
    deleteTracked.set(model.name, false); // cycles (self-relations) end here
    const value = tracks(model) || referentialChildren(info, model).some(({ child, action }) => (action === 'SetNull' ? tracks(child) : tracksDelete(child)));
    deleteTracked.set(model.name, value);
    return value;
  };
  return {
    observers,
    get active() {
      return observers.some((o) => o.afterCommit || o.beforeCommit);
    },
    observersFor: (name) => forModel(name).list,
    intercepts: (model) => forModel(model.name).intercepts,
    tracks,
    tracksDelete,
    involves: (model, operation) => forModel(model.name).intercepts || (operation === 'delete' ? tracksDelete(model) : tracks(model)),
    actsInTransaction: (model) => forModel(model.name).inTransaction,
  };
}

/** Recorded changes of one transaction, in write order. */
export type ChangeLog = ChangeEvent[];

/** Records one row's change in the transaction's log, if the model is tracked. */
export function recordChange(ctx: AccessContext, model: Model, kind: ChangeKind, before: Row | null, after: Row | null): void {
  if (!ctx.changes || !ctx.capture.tracks(model)) return;
  ctx.changes.push(changeEvent(ctx, model, kind, before, after));
}

/**
 * Records one row's change: in the open transaction's log, or, for a statement that committed on
 * its own (no transaction open), straight to the afterCommit observers.
 */
export function recordCommitted(ctx: AccessContext, model: Model, kind: ChangeKind, before: Row | null, after: Row | null): void {
  recordAllCommitted(ctx, [[model, kind, before, after]]);
}

/** recordCommitted for the rows one statement changed, which reach the observers as one batch. */
export function recordAllCommitted(ctx: AccessContext, changes: [Model, ChangeKind, Row | null, Row | null][]): void {
  if (ctx.changes) for (const change of changes) recordChange(ctx, ...change);
  else afterCommit(ctx.capture.observers, changes.filter(([model]) => ctx.capture.tracks(model)).map((change) => changeEvent(ctx, ...change)), ctx.report);
}

const changeEvent = (ctx: AccessContext, model: Model, kind: ChangeKind, before: Row | null, after: Row | null): ChangeEvent => ({
  model: model.name,
  kind,
  key: ctx.info.keyFilter(model, (after ?? before)!),
  before,
  after,
});

/**
 * Lets every `beforeWrite` observer see (and replace, or refuse by throwing) a row write about to
 * happen; returns the data to write.
 */
export async function interceptWrite(
  ctx: AccessContext,
  model: Model,
  operation: 'create' | 'update' | 'delete',
  data: Row | undefined,
  key?: Row,
): Promise<Row | undefined> {
  if (!ctx.capture.intercepts(model)) return data;
  const viewer = ctx.rules.viewer ? { id: ctx.rules.viewer.id, roles: ctx.rules.viewer.roles } : null;
  let current = data;
  for (const observer of ctx.capture.observersFor(model.name)) {
    if (!observer.beforeWrite) continue;
    const replaced = await observer.beforeWrite({ model: model.name, operation, ...(current ? { data: current } : {}), ...(key ? { key } : {}), viewer, db: ctx.db });
    if (replaced && operation !== 'delete') current = replaced;
  }
  return current;
}

/** The changes an observer sees: those of its models, in write order. */
const changesFor = (observer: WriteObserver, changes: readonly ChangeEvent[]) => (observer.models ? changes.filter((c) => observer.models!.includes(c.model)) : changes);

/** Inside the transaction, after its last write: observers write what must commit with the data (an outbox). */
export async function beforeCommit(observers: readonly WriteObserver[], changes: ChangeLog, db: unknown): Promise<void> {
  for (const observer of observers) {
    const seen = observer.beforeCommit ? changesFor(observer, changes) : [];
    if (seen.length) await observer.beforeCommit!(Object.freeze([...seen]), db);
  }
}

/** After COMMIT: best-effort reactions. An observer's failure is reported, never thrown into the committed write. */
export function afterCommit(observers: readonly WriteObserver[], changes: ChangeLog, report: (error: unknown) => void): void {
  if (!changes.length) return;
  for (const observer of observers) {
    const seen = observer.afterCommit ? changesFor(observer, changes) : [];
    if (!seen.length) continue;
    try {
      observer.afterCommit!(Object.freeze([...seen]));
    } catch (error) {
      report(error);
    }
  }
}

/** A relation whose rows the database deletes (Cascade) or detaches (SetNull) when a `model` row goes. */
export interface ReferentialChild {
  child: Model;
  /** The child's foreign-key fields and the parent fields they reference. */
  from: string[];
  to: string[];
  action: 'Cascade' | 'SetNull';
}

const childrenCache = new WeakMap<Datamodel, Map<string, ReferentialChild[]>>();

/** The relations through which deleting a row of `model` changes other rows in the database. */
export function referentialChildren(info: ModelInfo, model: Model): ReferentialChild[] {
  let byModel = childrenCache.get(info.datamodel);
  if (!byModel) childrenCache.set(info.datamodel, (byModel = new Map()));
  let children = byModel.get(model.name);
  if (children) return children;
  children = [];
  for (const field of model.fields) {
    const relation = field.kind === 'object' ? info.relation(model, field.name) : undefined;
    if (relation?.kind !== 'inverse') continue;
    const fk = relation.opposite;
    // Prisma's defaults: Restrict for a required relation, SetNull for an optional one.
    const action = fk.relationOnDelete ?? (fk.isRequired ? 'Restrict' : 'SetNull');
    if (action === 'Cascade' || action === 'SetNull') children.push({ child: relation.target, from: relation.from, to: relation.to, action });
  }
  byModel.set(model.name, children);
  return children;
}

/**
 * The rows the database will delete or detach along with `rows` of `model` (read before the
 * delete, inside its transaction): one query per relation and level of the cascade, for all rows
 * at once. Returns the change events the delete statement will cause beyond `rows` themselves.
 */
export async function cascadeChanges(ctx: AccessContext, model: Model, rows: Row[]): Promise<[Model, ChangeKind, Row, Row | null][]> {
  const changes: [Model, ChangeKind, Row, Row | null][] = [];
  const seen = new Set<string>(rows.map((r) => `${model.name}:${ctx.info.keyOf(model, r)}`));
  let level: [Model, Row[]][] = [[model, rows]];
  while (level.length) {
    const next: [Model, Row[]][] = [];
    for (const [parent, parents] of level) {
      for (const { child, from, to, action } of referentialChildren(ctx.info, parent)) {
        if (action === 'SetNull' ? !ctx.capture.tracks(child) : !ctx.capture.tracksDelete(child)) continue;
        const refs = [...new Map(parents.map((p) => [JSON.stringify(to.map((f) => p[f])), to.map((f) => p[f])])).values()];
        const where = from.length === 1 ? { [from[0]!]: { in: refs.map((r) => r[0]) } } : { OR: refs.map((r) => Object.fromEntries(from.map((f, i) => [f, r[i]]))) };
        const found: Row[] = await ctx.db[ctx.info.delegate(child)].findMany({ where, select: ctx.info.scalarSelect(child) });
        const fresh = found.filter((r) => {
          const id = `${child.name}:${ctx.info.keyOf(child, r)}`;
          if (seen.has(id)) return false;
          seen.add(id);
          return true;
        });
        if (!fresh.length) continue;
        if (action === 'SetNull') {
          for (const row of fresh) changes.push([child, 'updated', row, { ...row, ...Object.fromEntries(from.map((f) => [f, null])) }]);
        } else {
          for (const row of fresh) changes.push([child, 'deleted', row, null]);
          next.push([child, fresh]);
        }
      }
    }
    level = next;
  }
  return changes;
}

/**
 * Runs `fn` in an interactive transaction (or the one already open) with a change log: after
 * `fn`'s last write the `beforeCommit` observers run in the transaction, and only once it has
 * committed do the changes go to `afterCommit` (a rolled-back transaction publishes nothing).
 */
export async function runInTransaction<T>(ctx: AccessContext, fn: (tx: AccessContext) => Promise<T>, options?: unknown): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  const changes: ChangeLog = [];
  const result = await (ctx.db.$transaction as (f: (tx: AccessContext['db']) => Promise<T>, o?: unknown) => Promise<T>)(async (db) => {
    const value = await fn({ ...ctx, db, inTransaction: true, changes, savepoints: { count: 0, tail: Promise.resolve() } });
    if (changes.length) await beforeCommit(ctx.capture.observers, changes, db);
    return value;
  }, options);
  afterCommit(ctx.capture.observers, changes, ctx.report);
  return result;
}

/**
 * An open transaction's savepoints. Names are numbered (`cairn_sp_<n>`, never reused within the
 * transaction), and the writes that take one run one at a time: savepoints must nest, which
 * writes started together (`Promise.all` inside `$transaction`) would not do on their own.
 */
export interface Savepoints {
  /** Savepoints opened so far in this transaction. */
  count: number;
  /** Settles when the last queued write (or savepoint statement) has. */
  tail: Promise<void>;
}

/** Runs `step` after every earlier queued one has settled. */
function queued<T>(state: Savepoints, step: () => Promise<T>): Promise<T> {
  const run = state.tail.then(step);
  state.tail = run.then(
    () => {},
    () => {},
  );
  return run;
}

/**
 * Runs one write that user code starts inside an open transaction (a delegate method on the
 * transaction's client) in a SAVEPOINT, or a nested `$transaction` block (`block`): on success
 * the savepoint is released; on any error the database goes back to it and the transaction's
 * change log to its length before, and the error is rethrown. So a failed write that the caller
 * catches leaves nothing behind (no row, no change event), and on PostgreSQL the transaction
 * stays usable after a failed statement. A write runs queued, savepoint and all; a block only
 * queues its savepoint statements (the writes inside it queue themselves).
 */
export function runInSavepoint<T>(ctx: AccessContext, fn: () => Promise<T>, { block = false } = {}): Promise<T> {
  const state = ctx.savepoints;
  if (!state) return fn();
  const sql = (statement: string) => (): Promise<unknown> => ctx.db.$executeRawUnsafe(statement);
  const inOrder = block ? <R>(step: () => Promise<R>) => queued(state, step) : <R>(step: () => Promise<R>) => step();
  const run = async () => {
    const name = `cairn_sp_${++state.count}`;
    await inOrder(sql(`SAVEPOINT ${name}`));
    // What is logged from here on is undone with the savepoint.
    const changes = ctx.changes;
    const mark = changes?.length ?? 0;
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      changes?.splice(mark);
      // Back to the savepoint, which then goes. Should that fail too (the transaction is gone:
      // timed out, connection lost), the write's own error is the one that says what happened.
      await inOrder(async () => {
        await sql(`ROLLBACK TO SAVEPOINT ${name}`)();
        await sql(`RELEASE SAVEPOINT ${name}`)();
      }).catch(() => {});
      throw error;
    }
    await inOrder(sql(`RELEASE SAVEPOINT ${name}`));
    return value;
  };
  return block ? run() : queued(state, run);
}
