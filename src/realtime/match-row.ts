import type { Filter, ModelInfo, RelationInfo, Row, Where } from '../access/index.ts';
import type { DbClient, Model, Provider } from '../db/index.ts';
import { encodeMessage } from '../events/index.ts';

/**
 * Decides Prisma `where` filters (compiled rules, a subscriber's `where`) against a row image a
 * change event carries, without a query where the row's own columns decide. Relation conditions
 * are asked of the database once per event and distinct condition (`probe` caches), so
 * subscribers that share a viewer class share the query.
 */
export interface RowMatcher {
  matches(model: Model, filter: Filter | Where | undefined, row: Row, probes: ProbeCache): Promise<boolean>;
}

/** Answers of the database for one event, keyed by the query (shared by every subscriber). */
export type ProbeCache = Map<string, Promise<boolean>>;

const UNDECIDED = Symbol('undecided');
type Verdict = boolean | typeof UNDECIDED;

export function createRowMatcher(db: DbClient, info: ModelInfo, provider: Provider): RowMatcher {
  const exists = (model: Model, where: Where, probes: ProbeCache): Promise<boolean> => {
    const id = `${model.name}:${encodeMessage(where)}`;
    let answer = probes.get(id);
    if (!answer) {
      const delegate = (db as any)[info.delegate(model)];
      answer = delegate.findFirst({ where, select: info.keySelect(model) }).then((found: unknown) => found !== null);
      probes.set(id, answer!);
    }
    return answer!;
  };

  const relationMatches = async (model: Model, relation: RelationInfo, value: unknown, row: Row, probes: ProbeCache): Promise<boolean> => {
    const target = relation.target;
    const link = linkOf(info, model, relation, row);
    const some = (inner: unknown) => (link ? exists(target, { AND: [link, inner ?? {}] }, probes) : Promise.resolve(false));
    if (!relation.field.isList) {
      if (value === null) return !(await some({}));
      const ops = value as Where;
      const keys = Object.keys(ops);
      if (!keys.length || !keys.every((k) => k === 'is' || k === 'isNot')) return some(ops);
      for (const [op, inner] of Object.entries(ops)) {
        const hit = inner === null ? !(await some({})) : await some(inner);
        if ((op === 'is') !== hit) return false;
      }
      return true;
    }
    for (const [op, inner] of Object.entries(value as Where)) {
      const hit =
        op === 'some' ? await some(inner) : op === 'none' ? !(await some(inner)) : op === 'every' ? !(await some({ NOT: inner ?? {} })) : undefined;
      if (hit === undefined) throw new Error(`Unsupported relation filter "${op}" on ${model.name}.${relation.field.name}`);
      if (!hit) return false;
    }
    return true;
  };

  const matchWhere = async (model: Model, where: Where, row: Row, probes: ProbeCache): Promise<boolean> => {
    const deferred: [string, unknown][] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === 'AND') {
        for (const item of Array.isArray(value) ? value : [value]) if (!(await matchWhere(model, item, row, probes))) return false;
        continue;
      }
      if (key === 'OR') {
        let any = false;
        for (const item of value as Where[]) if ((any = await matchWhere(model, item, row, probes))) break;
        if (!any) return false;
        continue;
      }
      if (key === 'NOT') {
        for (const item of Array.isArray(value) ? value : [value]) if (await matchWhere(model, item, row, probes)) return false;
        continue;
      }
      const relation = info.relation(model, key);
      if (relation) {
        // Columns first: a cheap false saves the query.
        deferred.push([key, value]);
        continue;
      }
      const verdict = info.scalarNames(model).has(key) ? scalarMatches(model, key, value, row, provider) : compoundMatches(model, value, row, provider);
      if (verdict === UNDECIDED) {
        deferred.push([key, value]);
        continue;
      }
      if (!verdict) return false;
    }
    for (const [key, value] of deferred) {
      const relation = info.relation(model, key);
      const hit = relation
        ? await relationMatches(model, relation, value, row, probes)
        : // The database decides what JavaScript cannot (JSON paths, lists, collations): ask it about this row.
          await exists(model, { AND: [info.keyFilter(model, row), { [key]: value }] }, probes);
      if (!hit) return false;
    }
    return true;
  };

  return {
    async matches(model, filter, row, probes) {
      if (filter === undefined || filter === true) return true;
      if (filter === false) return false;
      return matchWhere(model, filter, row, probes);
    },
  };
}

function compoundMatches(model: Model, value: unknown, row: Row, provider: Provider): Verdict {
  if (!value || typeof value !== 'object') return UNDECIDED;
  for (const [field, expected] of Object.entries(value as Where)) {
    const verdict = scalarMatches(model, field, expected, row, provider);
    if (verdict !== true) return verdict;
  }
  return true;
}

const filterKeys = new Set(['equals', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'endsWith', 'not', 'mode']);

function scalarMatches(model: Model, name: string, filter: unknown, row: Row, provider: Provider): Verdict {
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

/** The related rows of `row` through `relation`, as a where on the target model (null: there are none). */
export function linkOf(info: ModelInfo, model: Model, relation: RelationInfo, row: Row): Where | null {
  if (relation.kind === 'owner') {
    const values = relation.from.map((f) => row[f]);
    if (values.some((v) => v === null || v === undefined)) return null;
    return Object.fromEntries(relation.to.map((f, i) => [f, values[i]]));
  }
  if (relation.kind === 'inverse') return Object.fromEntries(relation.from.map((f, i) => [f, row[relation.to[i]!]]));
  return { [relation.opposite.name]: { some: info.keyFilter(model, row) } };
}
