import type { Field, Model } from '../datamodel.ts';
import { compiled, compileWhere, onlyKeys, Params, unsupported, type Statement } from './compile-where.ts';
import type { Tables } from './tables.ts';

/** One aggregating SELECT and how its single row becomes Prisma's result. */
export interface CompiledAggregate extends Statement {
  result(values: unknown[]): unknown;
}

const functions = { _count: 'COUNT', _sum: 'SUM', _avg: 'AVG', _min: 'MIN', _max: 'MAX' } as const;
type Op = keyof typeof functions;
const countKeys = new Set(['where']);
const aggregateKeys = new Set(['where', ...Object.keys(functions)]);
// SUM and AVG over these; MIN and MAX also over text and timestamps (Boolean, enums, JSON: Prisma's).
const summable = new Set(['Int', 'Float']);
const comparable = new Set(['Int', 'Float', 'String', 'DateTime']);
// COUNT and SUM of integers come back as int8 text, AVG of integers as numeric text: Prisma answers numbers.
const toNumber = (value: unknown) => (value == null ? value : Number(value));

/**
 * `count({ where })` and `aggregate({ where, _count: { _all | field }, _sum, _avg, _min, _max })`
 * on `model` as one PostgreSQL SELECT, for Int and Float sums and averages and Int, Float,
 * String and DateTime minimums and maximums. Undefined otherwise (ordering, pages, cursors,
 * `_count: true`, other types), and Prisma's client runs it.
 */
export function compileAggregate(tables: Tables, model: Model, method: 'count' | 'aggregate', args: Record<string, any> = {}): CompiledAggregate | undefined {
  return compiled(() => {
    onlyKeys(args, method === 'count' ? countKeys : aggregateKeys);
    const params = new Params();
    const alias = params.alias();
    const columns: { op: Op; key: string; convert: (value: unknown) => unknown }[] = [];
    const terms: string[] = [];
    if (method === 'count') {
      terms.push('COUNT(*)');
      columns.push({ op: '_count', key: '_all', convert: toNumber });
    } else for (const op of Object.keys(functions) as Op[]) {
      if (args[op] === undefined) continue;
      const chosen = args[op];
      if (!chosen || typeof chosen !== 'object') unsupported(`${op}: ${chosen}`);
      for (const [key, on] of Object.entries(chosen as Record<string, unknown>)) {
        if (on === false || on === undefined) continue;
        if (on !== true) unsupported(`${op}.${key}`);
        if (op === '_count' && key === '_all') {
          terms.push('COUNT(*)');
          columns.push({ op, key, convert: toNumber });
          continue;
        }
        const field = tables.field(model, key);
        if (!field || !aggregable(tables, op, field)) return unsupported(`${op}.${key}`);
        terms.push(`${functions[op]}(${alias}.${tables.column(field)})`);
        const sameType = op === '_min' || op === '_max' || (op === '_sum' && field.type === 'Float');
        columns.push({ op, key, convert: sameType ? tables.fromColumn(field) : toNumber });
      }
    }
    if (!terms.length) unsupported('nothing to aggregate');
    const condition = compileWhere(tables, model, alias, args.where, params);
    let sql = `SELECT ${terms.join(', ')} FROM ${tables.table(model)} AS ${alias}`;
    if (condition !== 'TRUE') sql += ` WHERE ${condition}`;
    const result = (values: unknown[]) => {
      if (method === 'count') return columns[0]!.convert(values[0]);
      const out: Record<string, Record<string, unknown>> = {};
      columns.forEach(({ op, key, convert }, i) => ((out[op] ??= {})[key] = convert(values[i])));
      return out;
    };
    return { sql, args: params.args, argTypes: params.argTypes, result };
  });
}

function aggregable(tables: Tables, op: Op, field: Field): boolean {
  if (field.kind !== 'scalar' || field.isList || !tables.argType(field)) return false;
  if (op === '_count') return true;
  return (op === '_sum' || op === '_avg' ? summable : comparable).has(field.type);
}
