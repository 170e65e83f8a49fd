import { primaryKeyFields, type Field, type Model } from '../datamodel.ts';
import { selectedFields, type CompiledStatement } from './compile-find.ts';
import { compiled, compileWhere, onlyKeys, param, Params, unsupported } from './compile-where.ts';
import type { Tables } from './tables.ts';

const updateKeys = new Set(['where', 'select', 'data']);

/**
 * A Prisma `update` on `model` as one PostgreSQL `UPDATE … RETURNING`: a unique `where` that
 * `compileWhere` takes, a scalar `select`, and `data` setting scalar columns to values (plain or
 * `{ set }`; no `increment` and the like, no relations). `@updatedAt` columns the data leaves out
 * are set to now, as Prisma's client sets them. Undefined otherwise, and Prisma's client runs it.
 *
 * `returnBefore`: the row as it was comes back too, ahead of the selection (`before` counts its
 * columns). The `where` then picks the row in `FROM (SELECT … FOR UPDATE)`, which locks it and
 * hands its columns to RETURNING: the before-image a change event needs, in the statement that
 * writes, not in a SELECT ahead of it.
 */
export function compileUpdate(tables: Tables, model: Model, args: Record<string, any>, returnBefore = false): UpdateStatement | undefined {
  return compiled(() => {
    onlyKeys(args, updateKeys);
    const where = args.where ?? {};
    if (!tables.hasUniqueKey(model, where)) unsupported('update without a unique key');
    const params = new Params();
    const alias = params.alias();
    const assignments = assign(tables, model, args.data, params);
    const after = selectedFields(tables, model, args.select, undefined);
    const returned = (from: string, fields: Field[]) => fields.map((f) => `${from}.${tables.column(f)}`);
    const table = tables.table(model);
    let sql = `UPDATE ${table} AS ${alias} SET ${assignments}`;
    let before: Field[] = [];
    if (!returnBefore) sql += ` WHERE ${compileWhere(tables, model, alias, where, params)} RETURNING ${returned(alias, after).join(', ')}`;
    else {
      before = selectedFields(tables, model, undefined, undefined);
      const [inner, old] = [params.alias(), params.alias()];
      const keys = primaryKeyFields(model).map((name) => tables.field(model, name)!);
      if (!keys.length) unsupported('no primary key');
      const locked = `SELECT ${returned(inner, before).join(', ')} FROM ${table} AS ${inner} WHERE ${compileWhere(tables, model, inner, where, params)} FOR UPDATE`;
      const join = keys.map((k) => `${alias}.${tables.column(k)} = ${old}.${tables.column(k)}`).join(' AND ');
      sql += ` FROM (${locked}) AS ${old} WHERE ${join} RETURNING ${[...returned(old, before), ...returned(alias, after)].join(', ')}`;
    }
    return { sql, args: params.args, argTypes: params.argTypes, fields: [...before, ...after], before: before.length };
  });
}

/** An UPDATE's statement: its first `before` result columns are the row as it was (`returnBefore`). */
export interface UpdateStatement extends CompiledStatement {
  before: number;
}

/** `"col" = $n, …` for the data and the `@updatedAt` columns it leaves out. */
function assign(tables: Tables, model: Model, data: unknown, params: Params): string {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return unsupported('data');
  const values = new Map<string, unknown>();
  for (const [name, given] of Object.entries(data)) {
    if (given === undefined) continue;
    const value = given !== null && typeof given === 'object' && !(given instanceof Date) ? setValue(given) : given;
    values.set(name, value);
  }
  if (!values.size) unsupported('empty data');
  const now = new Date();
  for (const field of model.fields) if (field.isUpdatedAt && !values.has(field.name)) values.set(field.name, now);
  return [...values].map(([name, value]) => {
    const field = tables.field(model, name);
    const type = field && field.kind !== 'object' ? tables.argType(field) : undefined;
    if (!field || !type) return unsupported(`data ${name}`);
    if (value === null && field.isRequired) return unsupported(`${name}: null`);
    // The column (no alias: PostgreSQL's SET names columns of the updated table).
    return `${tables.column(field)} = ${value === null ? params.add(null, type) : param(tables, field, value, params)}`;
  }).join(', ');
}

/** `{ set: v }` is the value v; any other operation (`increment`, `push`…) is Prisma's. */
function setValue(operation: object): unknown {
  const keys = Object.keys(operation);
  return keys.length === 1 && keys[0] === 'set' ? (operation as { set: unknown }).set : unsupported(`data ${keys.join(', ')}`);
}
