import type { Field, Model } from '../datamodel.ts';
import { compiled, compileWhere, onlyKeys, Params, unsupported, type Statement } from './compile-where.ts';
import type { Tables } from './tables.ts';

export type FindMethod = 'findMany' | 'findFirst' | 'findUnique';

/** One statement (a find's SELECT, an update's UPDATE … RETURNING), and the fields its result columns hold, in order. */
export interface CompiledStatement extends Statement {
  fields: Field[];
}

const findKeys = new Set(['where', 'select', 'omit', 'orderBy', 'take', 'skip']);

/**
 * A Prisma find on `model` as one PostgreSQL SELECT, when its arguments are within what this
 * compiles: scalar columns only (no relations or `_count` in the selection, no `include`,
 * `cursor` or `distinct`), orders by columns, a non-negative `take`, and the filters
 * `compileWhere` takes. Undefined otherwise, and Prisma's client runs the find as it is.
 */
export function compileFind(tables: Tables, model: Model, method: FindMethod, args: Record<string, any> = {}): CompiledStatement | undefined {
  return compiled(() => {
    onlyKeys(args, findKeys);
    const where = args.where ?? {};
    if (method === 'findUnique' && !tables.hasUniqueKey(model, where)) unsupported('findUnique without a unique key');
    const params = new Params();
    const alias = params.alias();
    const fields = selectedFields(tables, model, args.select, args.omit);
    const columns = fields.map((f) => `${alias}.${tables.column(f)}`).join(', ');
    const condition = compileWhere(tables, model, alias, where, params);
    let sql = `SELECT ${columns} FROM ${tables.table(model)} AS ${alias}`;
    if (condition !== 'TRUE') sql += ` WHERE ${condition}`;
    const order = orderBy(tables, model, alias, args.orderBy);
    if (order) sql += ` ORDER BY ${order}`;
    // Page sizes and offsets are parameters, so one text serves every page (statement-names.ts).
    if (method !== 'findMany') sql += ' LIMIT 1';
    else if (args.take != null) sql += ` LIMIT ${params.add(count(args.take), bigintArg)}`;
    if (args.skip) sql += ` OFFSET ${params.add(count(args.skip), bigintArg)}`;
    return { sql, args: params.args, argTypes: params.argTypes, fields };
  });
}

const bigintArg = { scalarType: 'bigint', arity: 'scalar' } as const;
const count = (value: unknown) => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : unsupported('take/skip'));

/** The columns a `select` (scalars only) or `omit` names, in order. */
export function selectedFields(tables: Tables, model: Model, select: unknown, omit: unknown): Field[] {
  if (select != null) {
    if (typeof select !== 'object') return unsupported('select');
    const chosen = Object.entries(select).filter(([, on]) => on !== false && on !== undefined);
    if (!chosen.length) unsupported('empty select');
    return chosen.map(([name, on]) => {
      const field = tables.field(model, name);
      if (on !== true || !field || field.kind === 'object' || !tables.readable(field)) return unsupported(`select ${name}`);
      return field;
    });
  }
  const omitted = (omit ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(omitted)) if (!tables.field(model, name)) unsupported(`omit ${name}`);
  const fields = model.fields.filter((f) => f.kind !== 'object' && omitted[f.name] !== true);
  if (!fields.length || fields.some((f) => !tables.readable(f))) unsupported('columns');
  return fields;
}

function orderBy(tables: Tables, model: Model, alias: string, orderBy: unknown): string {
  if (orderBy == null) return '';
  const terms: string[] = [];
  for (const entry of Array.isArray(orderBy) ? orderBy : [orderBy]) {
    // Prisma takes one field per orderBy object.
    if (!entry || typeof entry !== 'object' || Object.keys(entry).length !== 1) unsupported('orderBy');
    for (const [name, value] of Object.entries(entry as Record<string, unknown>)) {
      if (value === undefined) continue;
      const field = tables.field(model, name);
      if (!field || field.kind === 'object' || field.isList) unsupported(`orderBy ${name}`);
      const { sort, nulls } = typeof value === 'string' ? { sort: value, nulls: undefined } : ((value ?? {}) as { sort?: unknown; nulls?: unknown });
      if (sort !== 'asc' && sort !== 'desc') unsupported('sort');
      if (nulls !== undefined && nulls !== 'first' && nulls !== 'last') unsupported('nulls');
      terms.push(`${alias}.${tables.column(field!)} ${sort === 'asc' ? 'ASC' : 'DESC'}${nulls ? ` NULLS ${nulls === 'first' ? 'FIRST' : 'LAST'}` : ''}`);
    }
  }
  return terms.join(', ');
}
