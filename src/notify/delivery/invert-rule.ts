import type { ModelInfo, Row, Where } from '../../access/index.ts';
import type { Model } from '../../db/index.ts';

type UserId = string | number;

/** One query's worth of a rule for many viewers: what to select with the row, and who may read it given what came back. */
export interface InvertedRule {
  select: Record<string, unknown>;
  readers(row: Row): Set<UserId>;
}

/** A value no real user id takes: the viewer id a template is compiled with. */
export const viewerPlaceholder = (idType: string): UserId => (idType === 'Int' || idType === 'BigInt' ? -1_987_654_321 : '\u0000cairn:viewer');

const holds = (value: unknown, placeholder: UserId): boolean =>
  value === placeholder || (value !== null && typeof value === 'object' && !(value instanceof Date) && Object.values(value).some((v) => holds(v, placeholder)));

const isPlain = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A scalar condition without the placeholder, decided on the row's own value (null when it is not one of the simple shapes). */
function constantScalar(value: unknown): ((actual: unknown) => boolean) | null {
  if (isPlain(value)) return (actual) => actual === value;
  if (typeof value !== 'object' || value instanceof Date) return null;
  const ops = value as Record<string, unknown>;
  const keys = Object.keys(ops);
  if (keys.length !== 1) return null;
  const [op] = keys;
  const operand = ops[op!];
  if (op === 'equals' && isPlain(operand)) return (actual) => actual === operand;
  // SQL: NOT (x = v) is unknown (not true) when x is NULL.
  if (op === 'not' && isPlain(operand)) return (actual) => (operand === null ? actual !== null : actual !== null && actual !== operand);
  if ((op === 'in' || op === 'notIn') && Array.isArray(operand) && operand.every(isPlain)) return (actual) => actual !== null && operand.includes(actual) === (op === 'in');
  return null;
}

/**
 * Turns a read rule compiled for a placeholder viewer into one query for a whole page of users:
 * the row's own columns decide in memory (`authorId == auth().id` → the user whose id is in the
 * column), and a to-many `some` holding `column == auth().id` becomes a filtered relation select
 * (`members: { where: { userId: { in: page } } }`) whose rows name the users it admits. Shapes it
 * does not know (every, none, the viewer inside a comparison) return null: the caller asks the
 * database per distinct condition instead.
 */
export function invertRule(info: ModelInfo, model: Model, where: Where, placeholder: UserId, users: readonly UserId[]): InvertedRule | null {
  const all = () => new Set(users);
  const none = () => new Set<UserId>();

  const compile = (model: Model, where: Where): InvertedRule | null => {
    const select: Record<string, unknown> = {};
    const parts: ((row: Row) => Set<UserId>)[] = [];
    const merge = (sub: InvertedRule): boolean => mergeSelect(select, sub.select);
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === 'AND' || key === 'OR' || key === 'NOT') {
        const items = (Array.isArray(value) ? value : [value]) as Where[];
        const subs = items.map((item) => compile(model, item));
        if (subs.some((s) => !s) || !subs.every((s) => merge(s!))) return null;
        const readers = subs.map((s) => s!.readers);
        if (key === 'AND') parts.push((row) => intersect(readers.map((r) => r(row)), users));
        else if (key === 'OR') parts.push((row) => union(readers.map((r) => r(row))));
        else parts.push((row) => { const out = union(readers.map((r) => r(row))); return new Set(users.filter((u) => !out.has(u))); });
        continue;
      }
      const relation = info.relation(model, key);
      if (relation) {
        const ops = value as Record<string, unknown>;
        if (!relation.field.isList) {
          const inner = ops && typeof ops === 'object' && Object.keys(ops).length === 1 && 'is' in ops ? ops.is : undefined;
          if (!inner || typeof inner !== 'object') return null;
          const sub = compile(relation.target, inner as Where);
          if (!sub || !mergeSelect(select, { [key]: { select: sub.select } })) return null;
          parts.push((row) => (row[key] ? sub.readers(row[key] as Row) : none()));
          continue;
        }
        const some = ops && typeof ops === 'object' && Object.keys(ops).length === 1 ? flattenAnd(ops.some as Where | undefined) : undefined;
        if (!some) return null;
        const pinned = Object.entries(some).filter(([, v]) => holds(v, placeholder));
        const column = pinned[0]?.[0];
        const pin = pinned[0]?.[1];
        if (pinned.length !== 1 || !info.scalarNames(relation.target).has(column!) || !(pin === placeholder || (pin as Record<string, unknown>)?.equals === placeholder)) return null;
        // The related rows that admit someone on this page, every other condition left to the database.
        if (!mergeSelect(select, { [key]: { where: { ...some, [column!]: { in: [...users] } }, select: { [column!]: true } } })) return null;
        parts.push((row) => new Set(((row[key] ?? []) as Row[]).map((r) => r[column!] as UserId)));
        continue;
      }
      if (!info.scalarNames(model).has(key)) return null;
      mergeSelect(select, { [key]: true });
      if (holds(value, placeholder)) {
        const equal = value === placeholder || (value as Record<string, unknown>)?.equals === placeholder;
        const unequal = (value as Record<string, unknown>)?.not === placeholder && Object.keys(value as object).length === 1;
        if (!equal && !unequal) return null;
        parts.push((row) => new Set(users.filter((u) => (row[key] === u) === equal && row[key] !== null)));
        continue;
      }
      const test = constantScalar(value);
      if (!test) return null;
      parts.push((row) => (test(row[key]) ? all() : none()));
    }
    return { select, readers: (row) => intersect(parts.map((part) => part(row)), users) };
  };
  return compile(model, where);
}

/**
 * Adds `source` to the select tree `target`: columns and to-one selects merge; a filtered to-many
 * select merges only with the same filter (else false: one query cannot load both).
 */
function mergeSelect(target: Record<string, unknown>, source: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing === undefined) {
      target[key] = value === true ? true : structuredClone(value);
      continue;
    }
    if (existing === true && value === true) continue;
    if (existing === true || value === true) return false;
    const a = existing as { where?: unknown; select: Record<string, unknown> };
    const b = value as { where?: unknown; select: Record<string, unknown> };
    if (JSON.stringify(a.where) !== JSON.stringify(b.where)) return false;
    if (!mergeSelect(a.select, b.select)) return false;
  }
  return true;
}

/** `{ AND: [{ a }, { b }] }` as `{ a, b }` where no key repeats (the shape a compiled `x && y` takes). */
function flattenAnd(where: Where | undefined): Where | undefined {
  if (!where || typeof where !== 'object' || !('AND' in where)) return where;
  const { AND, ...rest } = where;
  const flat: Where = { ...rest };
  for (const item of (Array.isArray(AND) ? AND : [AND]) as Where[]) {
    const inner = flattenAnd(item);
    if (!inner || typeof inner !== 'object') return undefined;
    for (const [k, v] of Object.entries(inner)) {
      if (k in flat) return where;
      flat[k] = v;
    }
  }
  return flat;
}

function intersect(sets: Set<UserId>[], users: readonly UserId[]): Set<UserId> {
  if (!sets.length) return new Set(users);
  const [first, ...rest] = sets;
  return new Set([...first!].filter((u) => rest.every((s) => s.has(u))));
}

function union(sets: Set<UserId>[]): Set<UserId> {
  const out = new Set<UserId>();
  for (const set of sets) for (const u of set) out.add(u);
  return out;
}
