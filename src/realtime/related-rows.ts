import type { ModelInfo, Row, Where } from '../access/index.ts';
import type { DbClient, Model, Provider } from '../db/index.ts';
import { encodeMessage } from '../events/index.ts';
import { decideColumns, filterColumns, UNDECIDED } from './scalar-match.ts';

/** Answers of the database for one event, keyed by the query (shared by every subscriber). */
export type ProbeCache = Map<string, Promise<boolean>>;

/**
 * The related rows one event's checks need, asked once for every subscriber of that event:
 * relation rules compile per viewer (`members: { some: { userId: 5 } }` for viewer 5), so asking
 * each condition on its own costs one statement per viewer. Instead, conditions on the rows
 * linked to one row arrive in a batch (everything asked while the event's checks run on
 * microtasks), one statement loads the linked rows matching any of them (`userId IN (…)` in
 * effect), and each viewer's condition is decided in memory on those rows.
 */
export interface RelatedRows {
  /** Whether a row of `target` linked by `link` matches `inner` (`relation: { some: inner }`). */
  some(target: Model, link: Where, inner: Where, probes: ProbeCache): Promise<boolean>;
  /** The row of `target` that `unique` (a unique where) names, its columns; null when there is none. One load per event. */
  row(target: Model, unique: Where, probes: ProbeCache): Promise<Row | null>;
  /** That row is known to exist (a row referencing it by foreign key was found). */
  exists(target: Model, unique: Where, probes: ProbeCache): void;
  known(target: Model, unique: Where, probes: ProbeCache): boolean;
}

interface Pending {
  where: Where;
  resolve(found: boolean): void;
  reject(error: unknown): void;
}

interface Batch {
  target: Model;
  link: Where;
  pending: Map<string, Pending>;
  columns: Set<string>;
}

interface EventMemo {
  batches: Map<string, Batch>;
  rows: Map<string, Promise<Row | null>>;
  existing: Set<string>;
}

export function createRelatedRows(db: DbClient, info: ModelInfo, provider: Provider): RelatedRows {
  const memos = new WeakMap<ProbeCache, EventMemo>();
  const memoOf = (probes: ProbeCache) => {
    let memo = memos.get(probes);
    if (!memo) memos.set(probes, (memo = { batches: new Map(), rows: new Map(), existing: new Set() }));
    return memo;
  };
  const delegate = (model: Model) => (db as any)[info.delegate(model)];
  const findFirst = (model: Model, where: Where): Promise<boolean> => delegate(model).findFirst({ where, select: info.keySelect(model) }).then((found: unknown) => found !== null);
  const rowId = (model: Model, unique: Where) => `${model.name}:${encodeMessage(unique)}`;

  async function flush(batch: Batch): Promise<void> {
    const entries = [...batch.pending.values()];
    try {
      if (entries.length === 1) {
        // One condition: the plain existence query, as before batching.
        entries[0]!.resolve(await findFirst(batch.target, { AND: [batch.link, entries[0]!.where] }));
        return;
      }
      const select = { ...info.keySelect(batch.target), ...Object.fromEntries([...batch.columns].map((c) => [c, true])) };
      const rows: Row[] = [];
      // Bounded statements: the database's limit on bound parameters (SQLite 32766, PostgreSQL 65535).
      for (let at = 0; at < entries.length; at += maxPerStatement) {
        const where = anyOf(entries.slice(at, at + maxPerStatement).map((e) => e.where));
        rows.push(...(await delegate(batch.target).findMany({ where: { AND: [batch.link, where] }, select })));
      }
      const index = indexRows(rows);
      for (const entry of entries) {
        const equality = simpleEquality(entry.where);
        let verdict: boolean | typeof UNDECIDED = false;
        if (equality) verdict = index(equality.column).has(valueKey(equality.value));
        else
          for (const row of rows) {
            const decided = decideColumns(batch.target, entry.where, row, provider);
            if (decided === true) {
              verdict = true;
              break;
            }
            if (decided === UNDECIDED) verdict = UNDECIDED;
          }
        // JavaScript could not decide it like the database (a collation, a NULL under NOT): ask.
        if (verdict === UNDECIDED) findFirst(batch.target, { AND: [batch.link, entry.where] }).then(entry.resolve, entry.reject);
        else entry.resolve(verdict);
      }
    } catch (error) {
      for (const entry of entries) entry.reject(error);
    }
  }

  return {
    some(target, link, inner, probes) {
      const id = `${target.name}:${encodeMessage({ AND: [link, inner] })}`;
      const cached = probes.get(id);
      if (cached) return cached;
      const columns = filterColumns(target, inner, new Set(), info);
      let answer: Promise<boolean>;
      if (!columns) answer = findFirst(target, { AND: [link, inner] });
      else {
        const memo = memoOf(probes);
        const key = `${target.name}:${encodeMessage(link)}`;
        let batch = memo.batches.get(key);
        if (!batch) {
          const created: Batch = { target, link, pending: new Map(), columns: new Set() };
          memo.batches.set(key, (batch = created));
          // Once the microtask queue has drained: every subscriber's check of this event runs on
          // microtasks up to its question, so all of them are in; nothing waits for I/O, so the
          // row is asked about as early as a query of its own would be. A check that comes
          // later (its subscriber was busy with an earlier event) starts a batch of its own.
          process.nextTick(() => {
            memo.batches.delete(key);
            void flush(created);
          });
        }
        const open = batch;
        answer = new Promise<boolean>((resolve, reject) => open.pending.set(id, { where: inner, resolve, reject }));
        for (const column of columns) open.columns.add(column);
      }
      probes.set(id, answer);
      return answer;
    },
    row(target, unique, probes) {
      const memo = memoOf(probes);
      const id = rowId(target, unique);
      let row = memo.rows.get(id);
      if (!row) {
        row = delegate(target).findFirst({ where: unique, select: info.scalarSelect(target) }) as Promise<Row | null>;
        row.then((found) => found && memo.existing.add(id), () => {});
        memo.rows.set(id, row);
      }
      return row;
    },
    exists: (target, unique, probes) => void memoOf(probes).existing.add(rowId(target, unique)),
    known: (target, unique, probes) => memoOf(probes).existing.has(rowId(target, unique)),
  };
}

const maxPerStatement = 5000;

/** `{ userId: 5 }`: one column equal to a plain value, the shape a viewer's id takes in a rule. */
function simpleEquality(where: Where): { column: string; value: string | number | boolean } | null {
  const keys = Object.keys(where);
  if (keys.length !== 1) return null;
  const column = keys[0]!;
  let value = where[column] as unknown;
  if (value && typeof value === 'object' && Object.keys(value).length === 1 && 'equals' in value) value = (value as { equals: unknown }).equals;
  if (column === 'AND' || column === 'OR' || column === 'NOT' || !['string', 'number', 'boolean'].includes(typeof value)) return null;
  return { column, value: value as string | number | boolean };
}

// Rows hold Int as number and BigInt as bigint; a viewer id may be either: compare as text.
const valueKey = (value: unknown) => (value === null || value === undefined ? "null" : typeof value === "boolean" ? `b:${value}` : `v:${String(value)}`);

/** Values per column among the loaded rows, built on first use. */
function indexRows(rows: Row[]): (column: string) => Set<string> {
  const built = new Map<string, Set<string>>();
  return (column) => {
    let values = built.get(column);
    if (!values) built.set(column, (values = new Set(rows.map((row) => valueKey(row[column])))));
    return values;
  };
}

/** The entries' conditions as one: equalities on one column become one `in` list (a short statement for thousands of viewers), the rest an OR. */
function anyOf(wheres: Where[]): Where {
  const lists = new Map<string, (string | number | boolean)[]>();
  const rest: Where[] = [];
  for (const where of wheres) {
    const equality = simpleEquality(where);
    if (equality) lists.set(equality.column, [...(lists.get(equality.column) ?? []), equality.value]);
    else rest.push(where);
  }
  const parts = [...[...lists].map(([column, values]) => ({ [column]: { in: values } })), ...rest];
  return parts.length === 1 ? parts[0]! : { OR: parts };
}
