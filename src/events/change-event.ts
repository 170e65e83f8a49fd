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
