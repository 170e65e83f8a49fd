import type { Model } from '../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { checkForeignKeys } from './check-foreign-keys.ts';
import { deny } from './deny.ts';
import { and, toWhere, type Filter } from './filter.ts';
import type { Row } from './model-info.ts';
import { rewriteWhere } from './rewrite-where.ts';
import { staticDefaults } from './write-helpers.ts';

/**
 * createMany: every row must pass the create rule, or nothing is written. Rules the data decides
 * cost nothing; otherwise the rows are inserted, returned by key and checked in one query.
 */
export async function createManyRows(ctx: AccessContext, model: Model, data: Row[], options: { skipDuplicates?: boolean; returnKeys?: boolean } = {}): Promise<Row[] | { count: number }> {
  const rule = ctx.rules.model(model.name, 'create');
  if (rule === false) throw await deny(ctx, model.name, 'create');
  const seen = new Set<string>();
  for (const row of data) await checkForeignKeys(ctx, model, row, seen);
  const verdicts = data.map((row) => ctx.rules.evaluate(model.name, 'create', { ...staticDefaults(model), ...row }));
  if (verdicts.includes(false)) throw await deny(ctx, model.name, 'create');
  const delegate = ctx.db[ctx.info.delegate(model)];
  const args = { data, ...(options.skipDuplicates ? { skipDuplicates: true } : {}) };
  if (!verdicts.includes(undefined) && !options.returnKeys) return delegate.createMany(args);
  const rows: Row[] = await delegate.createManyAndReturn({ ...args, select: ctx.info.keySelect(model) });
  await requireAll(ctx, model, rows, rule, 'create');
  return options.returnKeys ? rows : { count: rows.length };
}

/**
 * updateMany acts only on rows the viewer may update (and whose written fields it may update);
 * with post-update rules, the changed rows are checked after the write.
 */
export async function updateManyRows(ctx: AccessContext, model: Model, where: unknown, data: Row, options: { returnKeys?: boolean } = {}): Promise<Row[] | { count: number }> {
  const fieldRules = Object.keys(data).map((f) => ctx.rules.field(model.name, f, 'update'));
  const filter = and(rewriteWhere(ctx, model, where) ?? {}, ctx.rules.model(model.name, 'update'), ...fieldRules);
  await checkForeignKeys(ctx, model, data);
  const post = ctx.rules.model(model.name, 'post-update');
  const delegate = ctx.db[ctx.info.delegate(model)];
  if (post === true && !options.returnKeys) return delegate.updateMany({ where: toWhere(filter, model), data });
  const rows: Row[] = await delegate.updateManyAndReturn({ where: toWhere(filter, model), data, select: ctx.info.keySelect(model) });
  await requireAll(ctx, model, rows, post, 'post-update');
  return options.returnKeys ? rows : { count: rows.length };
}

/** deleteMany: one statement over the rows the viewer may delete. */
export async function deleteManyRows(ctx: AccessContext, model: Model, where: unknown): Promise<{ count: number }> {
  const filter = and(rewriteWhere(ctx, model, where) ?? {}, ctx.rules.model(model.name, 'delete'));
  return ctx.db[ctx.info.delegate(model)].deleteMany({ where: toWhere(filter, model) });
}

async function requireAll(ctx: AccessContext, model: Model, rows: Row[], rule: Filter, op: string): Promise<void> {
  if (rule === true || !rows.length) return;
  const count = rule === false ? 0 : await ctx.db[ctx.info.delegate(model)].count({ where: { AND: [ctx.info.keysIn(model, rows), rule] } });
  if (count !== rows.length) throw await deny(ctx, model.name, op);
}
