import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import type { Filter } from '../rules/index.ts';
import type { RelationInfo, Row } from './model-info.ts';

/** A create or update payload split into the row's own columns and nested relation operations. */
export function splitData(ctx: AccessContext, model: Model, data: unknown): { scalars: Row; relations: [RelationInfo, Row][] } {
  const scalars: Row = {};
  const relations: [RelationInfo, Row][] = [];
  for (const [key, value] of Object.entries((data ?? {}) as Row)) {
    if (value === undefined) continue;
    const relation = ctx.info.relation(model, key);
    if (relation) relations.push([relation, value as Row]);
    else scalars[key] = value;
  }
  return { scalars, relations };
}

/** A row's own columns, without the related rows a selection added. */
export function columnsOf(ctx: AccessContext, model: Model, row: Row): Row {
  const columns: Row = {};
  for (const name of ctx.info.scalarNames(model)) columns[name] = row[name];
  return columns;
}

/** Static `@default(…)` values, so create rules can be decided before the insert. */
export function staticDefaults(model: Model): Row {
  const values: Row = {};
  for (const field of model.fields) {
    const value = field.default as unknown;
    if (field.kind !== 'object' && ['string', 'number', 'boolean'].includes(typeof value)) values[field.name] = value;
  }
  return values;
}

/** Whether the row (by key) satisfies `filter`: no query when the filter is constant. */
export async function matches(ctx: AccessContext, model: Model, row: Row, filter: Filter): Promise<boolean> {
  if (typeof filter === 'boolean') return filter;
  return (await ctx.db[ctx.info.delegate(model)].count({ where: { AND: [ctx.info.keyFilter(model, row), filter] } })) > 0;
}

/**
 * The values an update writes that are known before it runs: plain values and `{ set }`, not
 * atomic operations (`{ increment: 1 }`), whose result only the database knows.
 */
export function knownValues(scalars: Row): Row {
  const known: Row = {};
  for (const [key, value] of Object.entries(scalars)) {
    const plain = plainValue(value);
    if (plain === null || typeof plain !== 'object' || plain instanceof Date) known[key] = plain;
  }
  return known;
}

/** `{ set: value }` (update input) or the value itself. */
export const plainValue = (value: unknown) => (value && typeof value === 'object' && 'set' in value ? (value as Row).set : value);

export const toArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The foreign-key values that make a row point at `target` through `relation`. */
export const pointingAt = (relation: RelationInfo, target: Row): Row =>
  Object.fromEntries(relation.from.map((f, i) => [f, target[relation.to[i]!]]));

/** For an inverse relation: the child's foreign-key values pointing at `parent`. */
export const childOf = (relation: RelationInfo, parent: Row): Row =>
  Object.fromEntries(relation.from.map((f, i) => [f, parent[relation.to[i]!]]));

/** A nested payload's `{ where, data }` form, or the data itself (to-one `update: data`). */
export function whereAndData(value: Row): { where?: Row; data: Row } {
  const keys = Object.keys(value);
  if ('data' in value && keys.every((k) => k === 'data' || k === 'where')) return { where: value.where, data: value.data };
  return { data: value };
}

/** A unique where back to the key as plain columns: `{ a_b: { a, b } }` to `{ a, b }`. */
export const flattenKey = (where: Row): Row => {
  const entries = Object.entries(where);
  const value = entries[0]?.[1];
  return entries.length === 1 && value && typeof value === 'object' && !(value instanceof Date) ? (value as Row) : where;
};
