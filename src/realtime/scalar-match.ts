import type { ModelInfo, Row, Where } from '../access/index.ts';
import type { Model, Provider } from '../db/index.ts';

/**
 * Prisma filters decided in JavaScript against a row's columns, with SQL's semantics (NULL,
 * LIKE wildcards, SQLite's ASCII case folding). What JavaScript cannot decide the same way as the
 * database (collations, JSON, lists) is UNDECIDED: the caller asks the database instead.
 */
export const UNDECIDED = Symbol('undecided');
export type Verdict = boolean | typeof UNDECIDED;

export function compoundMatches(model: Model, value: unknown, row: Row, provider: Provider): Verdict {
  if (!value || typeof value !== 'object') return UNDECIDED;
  for (const [field, expected] of Object.entries(value as Where)) {
    const verdict = scalarMatches(model, field, expected, row, provider);
    if (verdict !== true) return verdict;
  }
  return true;
}

const filterKeys = new Set(['equals', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'endsWith', 'not', 'mode']);

export function scalarMatches(model: Model, name: string, filter: unknown, row: Row, provider: Provider): Verdict {
  const field = model.fields.find((f) => f.name === name)!;
  if (field.isList || field.type === 'Json') return UNDECIDED;
  if (!(name in row)) return UNDECIDED;
  const actual = comparable(row[name]);
  if (filter === null || typeof filter !== 'object' || filter instanceof Date || ArrayBuffer.isView(filter) || !Object.keys(filter).every((k) => filterKeys.has(k))) {
    return equal(actual, comparable(filter));
  }
  const ops = filter as Record<string, unknown>;
  const insensitive = ops.mode === 'insensitive';
  for (const [op, raw] of Object.entries(ops)) {
    if (op === 'mode' || raw === undefined) continue;
    let verdict: Verdict;
    switch (op) {
      case 'equals':
        verdict = insensitive ? equal(lower(actual), lower(comparable(raw))) : equal(actual, comparable(raw));
        break;
      case 'not':
        if (raw !== null && typeof raw === 'object' && !(raw instanceof Date) && !ArrayBuffer.isView(raw)) {
          const inner = scalarMatches(model, name, { ...(raw as object), ...(insensitive && { mode: 'insensitive' }) }, row, provider);
          // SQL: NOT (x op y) is unknown, not true, when x is NULL.
          verdict = inner === UNDECIDED ? UNDECIDED : actual === null ? false : !inner;
        } else verdict = raw === null ? actual !== null : actual !== null && !equal(actual, comparable(raw));
        break;
      case 'in':
      case 'notIn': {
        if (actual === null) {
          verdict = false;
          break;
        }
        const hit = (raw as unknown[]).some((v) => equal(actual, comparable(v)));
        verdict = op === 'in' ? hit : !hit;
        break;
      }
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const expected = comparable(raw);
        if (actual === null || expected === null) verdict = false;
        else if (typeof actual === 'string' || typeof expected === 'string') verdict = UNDECIDED; // collation
        else verdict = op === 'lt' ? actual < expected : op === 'lte' ? actual <= expected : op === 'gt' ? actual > expected : actual >= expected;
        break;
      }
      default: {
        if (typeof actual !== 'string' || typeof raw !== 'string') {
          verdict = actual === null ? false : UNDECIDED;
          break;
        }
        // LIKE semantics, as Prisma sends them: % and _ stay wildcards; SQLite's LIKE ignores ASCII case.
        const body = [...raw].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
        const pattern = op === 'contains' ? `.*${body}.*` : op === 'startsWith' ? `${body}.*` : `.*${body}`;
        const ignoreCase = insensitive || provider === 'sqlite';
        verdict = new RegExp(`^${pattern}$`, ignoreCase ? 'is' : 's').test(actual);
      }
    }
    if (verdict !== true) return verdict;
  }
  return true;
}

type Comparable = string | number | bigint | boolean | null;

function comparable(value: unknown): Comparable {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (typeof value === 'object') return Number(String(value)); // Prisma Decimal
  return value as Comparable;
}

function equal(a: Comparable, b: Comparable): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as never) === BigInt(b as never);
  return a === b;
}

const lower = (v: Comparable) => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * A filter of only `model`'s own columns (AND/OR/NOT of column conditions) decided for `row`;
 * used on related rows loaded for many subscribers at once. NOT over a NULL column stays
 * UNDECIDED (SQL's NOT of unknown is unknown; the database decides it).
 */
export function decideColumns(model: Model, where: Where, row: Row, provider: Provider): Verdict {
  let result: Verdict = true;
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    const items = (Array.isArray(value) ? value : [value]) as Where[];
    let verdict: Verdict;
    if (key === 'AND') verdict = all(items.map((item) => decideColumns(model, item, row, provider)));
    else if (key === 'OR') verdict = any((value as Where[]).map((item) => decideColumns(model, item, row, provider)));
    else if (key === 'NOT') {
      const inner = items.length ? all(items.map((item) => decideColumns(model, item, row, provider))) : UNDECIDED;
      const columns = new Set<string>();
      for (const item of items) filterColumns(model, item, columns);
      verdict = inner === UNDECIDED || [...columns].some((c) => row[c] === null || row[c] === undefined) ? UNDECIDED : !inner;
    } else verdict = scalarMatches(model, key, value, row, provider);
    if (verdict === false) return false;
    if (verdict === UNDECIDED) result = UNDECIDED;
  }
  return result;
}

const all = (verdicts: Verdict[]): Verdict => (verdicts.includes(false) ? false : verdicts.includes(UNDECIDED) ? UNDECIDED : true);
const any = (verdicts: Verdict[]): Verdict => (verdicts.includes(true) ? true : verdicts.includes(UNDECIDED) ? UNDECIDED : false);

/**
 * The columns a filter of `model`'s own columns reads (added to `into`); null when it also
 * filters on relations or compound keys (the database must decide those).
 */
export function filterColumns(model: Model, where: Where, into = new Set<string>(), info?: ModelInfo): Set<string> | null {
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      for (const item of (Array.isArray(value) ? value : [value]) as Where[]) if (!filterColumns(model, item, into, info)) return null;
      continue;
    }
    const field = model.fields.find((f) => f.name === key);
    if (!field || field.kind === 'object' || (info && !info.scalarNames(model).has(key))) return null;
    into.add(key);
  }
  return into;
}
