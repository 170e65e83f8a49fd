import type { ArgType } from '@prisma/driver-adapter-utils';
import type { Field, Model } from '../datamodel.ts';
import type { Tables } from './tables.ts';

/** Thrown while compiling when Prisma's client must answer instead (a construct not compiled here). */
class Unsupported extends Error {}
export const unsupported = (what: string): never => {
  throw new Unsupported(what);
};

/** A statement for the driver adapter's `queryRaw`. */
export interface Statement {
  sql: string;
  args: unknown[];
  argTypes: ArgType[];
}

/** `compile()`'s statement, or undefined where it threw `Unsupported` (Prisma's client answers instead). */
export function compiled<T extends Statement>(compile: () => T): T | undefined {
  try {
    return compile();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Refuses (as `Unsupported`) an argument of Prisma's other than `keys`. */
export function onlyKeys(args: Record<string, unknown>, keys: Set<string>): void {
  for (const key of Object.keys(args)) if (args[key] !== undefined && !keys.has(key)) unsupported(key);
}

/** A statement's parameters, numbered as PostgreSQL's `$n`, and its table aliases. */
export class Params {
  readonly args: unknown[] = [];
  readonly argTypes: ArgType[] = [];
  #aliases = 0;
  add(value: unknown, type: ArgType): string {
    this.args.push(value);
    this.argTypes.push(type);
    return `$${this.args.length}`;
  }
  alias(): string {
    return `t${this.#aliases++}`;
  }
}

const scalarOps = new Set(['equals', 'not', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'endsWith', 'mode']);
const comparisons: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
const likeOps: Record<string, (text: string) => string> = {
  contains: (t) => `%${t}%`,
  startsWith: (t) => `${t}%`,
  endsWith: (t) => `%${t}`,
};
// As Prisma builds them: `%` and `_` in the text stay wildcards, so both paths match the same rows.

/**
 * A Prisma `where` as a PostgreSQL condition on `alias`, for the filters Cairn's API and its
 * compiled rules produce: scalar operators, AND/OR/NOT, compound unique keys, and relation filters
 * (`is`, `isNot: null` on to-one, `some`/`none` on to-many) as EXISTS subqueries. Anything else is
 * `Unsupported` (Prisma's client answers it), as is a value whose type Prisma would refuse, so
 * Prisma's validation errors stay Prisma's.
 */
export function compileWhere(tables: Tables, model: Model, alias: string, where: unknown, params: Params): string {
  if (where == null) return 'TRUE';
  if (typeof where !== 'object' || Array.isArray(where)) return unsupported('where');
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND') parts.push(all(list(value).map((w) => compileWhere(tables, model, alias, w, params))));
    else if (key === 'OR') {
      // Prisma reads an empty OR as false at the top of a where only; leave that to Prisma.
      const options = list(value);
      if (!options.length) unsupported('OR: []');
      parts.push(`(${options.map((w) => compileWhere(tables, model, alias, w, params)).join(' OR ')})`);
    } else if (key === 'NOT') parts.push(all(list(value).map((w) => `NOT ${compileWhere(tables, model, alias, w, params)}`)));
    else {
      const field = tables.field(model, key);
      if (!field) parts.push(compoundKey(tables, model, alias, key, value, params));
      else if (field.kind === 'object') parts.push(relationFilter(tables, model, alias, field, value, params));
      else parts.push(scalarFilter(tables, model, alias, field, value, params));
    }
  }
  return all(parts);
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const all = (parts: string[]) => (parts.length === 0 ? 'TRUE' : parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`);

/** `{ a_b: { a, b } }`: a compound primary key or unique index, by its Prisma name. */
function compoundKey(tables: Tables, model: Model, alias: string, key: string, value: unknown, params: Params): string {
  const fields = tables.compoundKey(model, key) ?? unsupported(`${model.name}.${key}`);
  if (!value || typeof value !== 'object') return unsupported(key);
  const parts = fields.map((name) => {
    const part = (value as Record<string, unknown>)[name];
    if (part == null || typeof part === 'object' && !(part instanceof Date)) return unsupported(key);
    return scalarFilter(tables, model, alias, tables.field(model, name)!, part, params);
  });
  return all(parts);
}

function scalarFilter(tables: Tables, model: Model, alias: string, field: Field, filter: unknown, params: Params): string {
  // JSON (its DbNull/JsonNull), Decimal, Bytes and list columns are filtered by Prisma alone.
  if (!tables.argType(field)) return unsupported(`${field.name}: ${field.type}`);
  const column = `${alias}.${tables.column(field)}`;
  if (filter === null) return `${column} IS NULL`;
  if (!isFilterObject(filter)) return `${column} = ${param(tables, field, filter, params)}`;
  const ops = filter as Record<string, unknown>;
  const insensitive = ops.mode === 'insensitive';
  if (ops.mode !== undefined && ops.mode !== 'default' && !insensitive) unsupported('mode');
  const parts: string[] = [];
  for (const [op, value] of Object.entries(ops)) {
    if (value === undefined || op === 'mode') continue;
    if (!scalarOps.has(op) || field.isList) unsupported(op);
    if (insensitive && !(op in likeOps)) unsupported(`${op} with mode insensitive`);
    if (op === 'equals') parts.push(value === null ? `${column} IS NULL` : `${column} = ${param(tables, field, value, params)}`);
    else if (op === 'not') {
      if (value === null) parts.push(`${column} IS NOT NULL`);
      else if (isFilterObject(value)) parts.push(`NOT ${scalarFilter(tables, model, alias, field, value, params)}`);
      else parts.push(`${column} <> ${param(tables, field, value, params)}`);
    } else if (op === 'in' || op === 'notIn') {
      if (!Array.isArray(value) || value.some((v) => v == null)) return unsupported(op);
      if (!value.length) parts.push(op === 'in' ? 'FALSE' : 'TRUE');
      else {
        const any = `${column} = ANY(${param(tables, field, value, params, 'list')})`;
        parts.push(op === 'in' ? any : `NOT ${any}`);
      }
    } else if (op in comparisons) {
      if (value === null) unsupported(`${op}: null`);
      parts.push(`${column} ${comparisons[op]} ${param(tables, field, value, params)}`);
    } else {
      if (field.type !== 'String' || typeof value !== 'string') return unsupported(op);
      const pattern = params.add(likeOps[op]!(value), { scalarType: 'string', arity: 'scalar' });
      parts.push(`${column}::text ${insensitive ? 'ILIKE' : 'LIKE'} ${pattern}`);
    }
  }
  return all(parts);
}

const isFilterObject = (value: unknown) => value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value);

/** A value as a parameter of the field's type; a value Prisma would refuse is left to Prisma. */
export function param(tables: Tables, field: Field, value: unknown, params: Params, arity: 'scalar' | 'list' = 'scalar'): string {
  const values = arity === 'list' ? (value as unknown[]) : [value];
  const type = tables.argType(field) ?? unsupported(`${field.name}: ${field.type}`);
  if (!values.every((v) => tables.accepts(field, v))) unsupported(`${field.name} value`);
  const converted = type.scalarType === 'bigint' ? values.map((v) => String(v)) : values;
  return params.add(arity === 'list' ? converted : converted[0], { ...type, arity });
}

/** `author: { is }`, `comments: { some }`: EXISTS over the related rows that match. */
function relationFilter(tables: Tables, model: Model, alias: string, field: Field, filter: unknown, params: Params): string {
  const relation = tables.relation(model, field) ?? unsupported(`${model.name}.${field.name}`);
  const { target } = relation;
  const exists = (where: unknown, negate = false) => {
    const inner = params.alias();
    const join = relation.pairs.map(([here, there]) => `${inner}.${tables.column(there)} = ${alias}.${tables.column(here)}`).join(' AND ');
    const condition = compileWhere(tables, target, inner, where, params);
    return `${negate ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${tables.table(target)} AS ${inner} WHERE ${join}${condition === 'TRUE' ? '' : ` AND ${condition}`})`;
  };
  if (field.isList) {
    if (!isFilterObject(filter)) return unsupported(field.name);
    const parts: string[] = [];
    for (const [op, where] of Object.entries(filter as Record<string, unknown>)) {
      if (where === undefined) continue;
      if (op === 'some') parts.push(exists(where));
      else if (op === 'none') parts.push(exists(where, true));
      else unsupported(`${field.name}.${op}`);
    }
    return all(parts);
  }
  if (filter === null) return exists(undefined, true);
  if (!isFilterObject(filter)) return unsupported(field.name);
  const ops = filter as Record<string, unknown>;
  if (!Object.keys(ops).every((k) => k === 'is' || k === 'isNot')) return exists(ops);
  const parts: string[] = [];
  if (ops.is !== undefined) parts.push(ops.is === null ? exists(undefined, true) : exists(ops.is));
  // `isNot: { … }` has Prisma's own NULL semantics: left to Prisma.
  if (ops.isNot !== undefined) parts.push(ops.isNot === null ? exists(undefined) : unsupported('isNot'));
  return all(parts);
}
