import { directSqlOf, type Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { applyReadPlan } from './apply-read-plan.ts';
import { deny } from './deny.ts';
import { narrow, toWhere, type Where } from '../rules/index.ts';
import type { Row } from './model-info.ts';
import { queryRows, type FindMethod } from './query-rows.ts';
import { checkOrdering, planRead, requireReadable } from './plan-read.ts';
import { rewriteWhere } from './rewrite-where.ts';
import { splitData } from './write-helpers.ts';

type Args = Record<string, any>;
const aggregateKeys = ['_count', '_sum', '_avg', '_min', '_max'];

/** A find* through the read rules: filtered in the query, to-one relations and ruled fields after it. */
export async function findRows(ctx: AccessContext, model: Model, method: FindMethod, args: Args = {}): Promise<unknown> {
  const unique = method.startsWith('findUnique');
  const { args: checked, plan } = await planRead(ctx, model, args, { unique });
  // Prisma cannot filter a cursor row; one that the viewer may not read starts no page.
  if (args.cursor && !(await cursorVisible(ctx, model, args.cursor))) checked.where = toWhere(false, model);
  const result = await queryRows(ctx, model, method, checked);
  await applyReadPlan(ctx, plan, result as Row | Row[] | null);
  return result;
}

/** count, aggregate and groupBy over the rows the viewer may read, and only fields it may read everywhere. */
export async function aggregateRows(ctx: AccessContext, model: Model, method: 'count' | 'aggregate' | 'groupBy', args: Args = {}): Promise<unknown> {
  const where = narrow(model, rewriteWhere(ctx, model, args.where), ctx.rules.model(model.name, 'read'));
  const fields = new Set<string>();
  if (method === 'count' && args.select && typeof args.select === 'object') Object.keys(args.select).forEach((f) => fields.add(f));
  for (const key of aggregateKeys) if (args[key] && typeof args[key] === 'object') Object.keys(args[key]).forEach((f) => fields.add(f));
  for (const f of args.by ?? []) fields.add(f);
  collectFields(args.having, fields);
  for (const field of fields) if (ctx.info.scalarNames(model).has(field)) await requireReadable(ctx, model, field);
  await checkOrdering(ctx, model, args);
  if (args.cursor && !(await cursorVisible(ctx, model, args.cursor))) return ctx.db[ctx.info.delegate(model)][method]({ ...args, where: toWhere(false, model) });
  const checked = { ...args, where };
  const direct = method === 'groupBy' ? undefined : directSqlOf(ctx.db)?.aggregate(model, method, checked);
  return direct ?? ctx.db[ctx.info.delegate(model)][method](checked);
}

/** The row a mutation returns, read through the read rules; FORBIDDEN (rolling the write back) when it may not be read. */
export async function readBack(ctx: AccessContext, model: Model, row: Row, args: Args): Promise<unknown> {
  const { select, include, omit } = args;
  const result = await findRows(ctx, model, 'findUnique', { where: ctx.info.uniqueWhere(model, row), select, include, omit });
  if (result == null) throw await deny(ctx, model.name, 'read', { row });
  return result;
}

/**
 * A single-row write (`write`, given what to select) answering the caller's selection (`args`):
 * from the write's own RETURNING when `data` has no nested operations (those run after the
 * statement), so no read-back query follows it; else, or when only the database can tell whether
 * the row is readable, read back.
 */
export async function writeReturning(ctx: AccessContext, model: Model, args: Args, data: unknown, write: (returning?: Args) => Promise<Row>): Promise<unknown> {
  const returning = splitData(ctx, model, data).relations.length ? undefined : await planReturning(ctx, model, args);
  const row = await write(returning?.select);
  return (await returning?.finish(row)) ?? readBack(ctx, model, row, args);
}

/**
 * A single-row write that returns its row in its own statement (`UPDATE … RETURNING`) instead of
 * a read-back query after it: `select` is what the write selects — every column (change capture's
 * after-image) and the caller's selection with the read rules planned in — and `finish` turns the
 * written row into the caller's result. The row must pass the read rule, which its columns decide
 * in memory in the common case (FORBIDDEN, rolling the write back, when they say no); when only
 * the database can decide, `finish` answers undefined and the caller reads back (`readable`: the
 * write's own WHERE already made sure).
 */
export async function planReturning(ctx: AccessContext, model: Model, args: Args): Promise<{ select: Args; finish(row: Row, readable?: boolean): Promise<unknown> }> {
  const { select, include, omit } = args;
  const { args: read, plan } = await planRead(ctx, model, { select, include, omit }, { unique: true });
  const selection: Args = read.select ?? read.include ?? {};
  // What findRows would answer: the selected keys, or every column but the omitted ones and the included relations.
  const shown = (key: string) => (read.select ? !!read.select[key] : !read.omit?.[key]);
  return {
    select: { ...ctx.info.scalarSelect(model), ...selection },
    async finish(row, readable = false) {
      const rule = ctx.rules.model(model.name, 'read');
      const verdict = readable || (typeof rule === 'boolean' ? rule : ctx.rules.evaluate(model.name, 'read', row));
      if (verdict === undefined) return undefined;
      if (!verdict) throw await deny(ctx, model.name, 'read', { row });
      for (const key of Object.keys(row)) if (!shown(key)) delete row[key];
      await applyReadPlan(ctx, plan, row);
      return row;
    },
  };
}

async function cursorVisible(ctx: AccessContext, model: Model, cursor: Where): Promise<boolean> {
  const rewritten = rewriteWhere(ctx, model, cursor);
  const read = ctx.rules.model(model.name, 'read');
  if (read === true && !rewritten?.AND) return true;
  return !!(await queryRows(ctx, model, 'findUnique', { where: narrow(model, rewritten, read), select: ctx.info.keySelect(model) }));
}

/** Field names a `having` filter touches. */
function collectFields(having: unknown, into: Set<string>): void {
  if (!having || typeof having !== 'object') return;
  for (const [key, value] of Object.entries(having)) {
    if (key === 'AND' || key === 'OR' || key === 'NOT') for (const v of Array.isArray(value) ? value : [value]) collectFields(v, into);
    else into.add(key);
  }
}
