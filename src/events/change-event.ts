/** What a committed write did to one row. */
export type ChangeKind = 'created' | 'updated' | 'deleted';

/** A row's scalar columns as Prisma returns them (relations are not part of a change). */
export type ChangeRow = Record<string, unknown>;

/**
 * One row's change, published only after the write's transaction commits (a rolled-back write
 * publishes nothing). Every reaction to data (subscriptions, live queries, hooks, webhooks,
 * storage clean-up, push) starts from these, never from its own idea of what changed.
 */
export interface ChangeEvent {
  /** The Prisma model name, e.g. `Post`. */
  model: string;
  kind: ChangeKind;
  /** The row's primary key fields, e.g. `{ id: 3 }` or `{ followerId: 1, followingId: 2 }`. */
  key: Record<string, unknown>;
  /** Every scalar column before the write; null for `created`. */
  before: ChangeRow | null;
  /** Every scalar column after the write; null for `deleted`. */
  after: ChangeRow | null;
}

/**
 * Receives the changes of one committed write (a top-level `ctx.db` call or `$transaction`), in
 * the order they were written. Called once per commit, after it; must not throw.
 */
export type ChangeListener = (changes: readonly ChangeEvent[]) => void;

/** A row write about to happen inside a transaction, as a `beforeWrite` observer sees it. */
export interface PendingWrite {
  model: string;
  operation: 'create' | 'update' | 'delete';
  /** The data about to be written (scalar columns and nested relation operations as Prisma takes them); absent on delete. */
  data?: Record<string, unknown>;
  /** The row's key on update and delete. */
  key?: Record<string, unknown>;
  /** Who writes: the request's viewer (null: anonymous or trusted server code). */
  viewer: { id: string | number; roles: readonly string[] } | null;
  /** The raw transaction client the write runs on (rules off): reads and writes here commit or roll back with it. */
  db: unknown;
}

/**
 * What reacts to writes from inside the write path (model hooks, the webhook/job outbox,
 * realtime). Every method is optional; observers are called in the order they are listed.
 */
export interface WriteObserver {
  /**
   * The models (Prisma names) whose writes this observer sees; its methods are not called for,
   * and its changes exclude, every other model, so those writes pay nothing for it (no forced
   * transaction, no row images). @default every model
   */
  models?: readonly string[];
  /**
   * Inside the write's transaction, after the rules allowed it, before the statement: returns
   * replacement data, nothing to keep it, or throws (a CairnError for the client) to refuse it —
   * then nothing of the whole write is kept.
   */
  beforeWrite?(write: PendingWrite): Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
  /** Inside the transaction after its last write, before COMMIT: rows written here (an outbox) commit with the data. */
  beforeCommit?(changes: readonly ChangeEvent[], db: unknown): Promise<void>;
  /** After COMMIT (best-effort reactions: subscriptions, caches). Must not throw. */
  afterCommit?: ChangeListener;
}
