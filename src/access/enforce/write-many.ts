import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { checkForeignKeys } from './check-foreign-keys.ts';
import { deny } from './deny.ts';
import { and, type Filter, toWhere } from '../rules/index.ts';
import type { Row } from './model-info.ts';
import { rewriteWhere } from './rewrite-where.ts';
import { knownValues, staticDefaults } from './write-helpers.ts';
import { writtenFieldRules } from './create-row.ts';
import { afterWriteRule } from './after-write-rule.ts';
import { cascadeChanges, interceptWrite, recordChange } from './change-capture.ts';

/**
 * createMany: every row must pass the create rule, or nothing is written. Rules the data decides
 * cost nothing; otherwise the rows are inserted, returned by key and checked in one query.
 */
export async function createManyRows(ctx: AccessContext, model: Model, data: Row[], options: { skipDuplicates?: boolean; returnKeys?: boolean } = {}): Promise<Row[] | { count: number }> {
  const rule = ctx.rules.model(model.name, 'create');
  if (rule === false) throw await deny(ctx, model.name, 'create');
  const seen = new Set<string>();
  for (const row of data) await checkForeignKeys(ctx, model, row, seen);
  const defaults = staticDefaults(model);
  const verdicts = data.map((row) => ctx.rules.evaluate(model.name, 'create', { ...defaults, ...row }));
  if (verdicts.includes(false)) throw await deny(ctx, model.name, 'create');
  // Field update rules guard the fields set on create too (see writtenFieldRules).
  const undecidedFields: [string, Filter][] = [];
  for (const [field, filter] of writtenFieldRules(ctx, model, [...new Set(data.flatMap((row) => Object.keys(row)))])) {
    const fieldVerdicts = data.filter((row) => field in row).map((row) => ctx.rules.evaluateField(model.name, field, 'update', { ...defaults, ...row }));
    if (fieldVerdicts.includes(false)) throw await deny(ctx, model.name, 'update', { field, onCreate: true });
    if (fieldVerdicts.includes(undefined)) undecidedFields.push([field, filter]);
  }
  const delegate = ctx.db[ctx.info.delegate(model)];
  const rowsData: Row[] = [];
  for (const row of data) rowsData.push((await interceptWrite(ctx, model, 'create', row))!);
  const args = { data: rowsData, ...(options.skipDuplicates ? { skipDuplicates: true } : {}) };
  const tracked = !!ctx.changes && ctx.capture.tracks(model);
  if (!verdicts.includes(undefined) && !undecidedFields.length && !options.returnKeys && !tracked) return delegate.createMany(args);
  // Change capture takes every column of every row from the same statement.
  const rows: Row[] = await delegate.createManyAndReturn({ ...args, select: tracked ? ctx.info.scalarSelect(model) : ctx.info.keySelect(model) });
  for (const row of rows) recordChange(ctx, model, 'created', null, row);
  // Rows the data already decided (as createRow does) need no check after the insert.
  if (verdicts.includes(undefined)) await requireAll(ctx, model, rows, rule, 'create');
  for (const [field, filter] of undecidedFields) {
    // Rows come back in insert order; skipped duplicates break that, so then every row is checked.
    const written = options.skipDuplicates ? rows : rows.filter((_, i) => field in (data[i] ?? {}));
    await requireAll(ctx, model, written, filter, 'update', field);
  }
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
  const after = afterWriteCheck(ctx, model, data);
  const delegate = ctx.db[ctx.info.delegate(model)];
  if (ctx.changes && ctx.capture.involves(model, 'update')) {
    const rows = await updateCaptured(ctx, model, filter, data);
    if (after) await requireAll(ctx, model, rows, after.filter, after.op, undefined, true);
    return options.returnKeys ? rows : { count: rows.length };
  }
  if (!after && !options.returnKeys) return delegate.updateMany({ where: toWhere(filter, model), data });
  const rows: Row[] = await delegate.updateManyAndReturn({ where: toWhere(filter, model), data, select: ctx.info.keySelect(model) });
  if (after) await requireAll(ctx, model, rows, after.filter, after.op, undefined, true);
  return options.returnKeys ? rows : { count: rows.length };
}

/**
 * updateMany with change capture: the rows it will change are read first (their before images,
 * and the keys `beforeWrite` sees per row), then updated by key in one statement that returns
 * every column (a row whose data an observer replaced gets its own UPDATE).
 */
async function updateCaptured(ctx: AccessContext, model: Model, filter: Filter, data: Row): Promise<Row[]> {
  const delegate = ctx.db[ctx.info.delegate(model)];
  const select = ctx.info.scalarSelect(model);
  const before: Row[] = await delegate.findMany({ where: toWhere(filter, model), select });
  if (!before.length) return [];
  const same: Row[] = [];
  const replaced: [Row, Row][] = [];
  for (const row of before) {
    const rowData = (await interceptWrite(ctx, model, 'update', data, ctx.info.keyFilter(model, row)))!;
    if (rowData === data) same.push(row);
    else replaced.push([row, rowData]);
  }
  const rows: Row[] = same.length ? await delegate.updateManyAndReturn({ where: { AND: [ctx.info.keysIn(model, same), toWhere(filter, model)] }, data, select }) : [];
  for (const [row, rowData] of replaced) rows.push(await delegate.update({ where: ctx.info.uniqueWhere(model, row), data: rowData, select }));
  const byKey = new Map(before.map((row) => [ctx.info.keyOf(model, row), row]));
  for (const row of rows) recordChange(ctx, model, 'updated', byKey.get(ctx.info.keyOf(model, row)) ?? null, row);
  return rows;
}

/**
 * deleteMany: one statement over the rows the viewer may delete. With change capture the rows
 * (and what the database cascades to) are read first, so each deleted row is an event.
 */
export async function deleteManyRows(ctx: AccessContext, model: Model, where: unknown): Promise<{ count: number }> {
  const filter = and(rewriteWhere(ctx, model, where) ?? {}, ctx.rules.model(model.name, 'delete'));
  const delegate = ctx.db[ctx.info.delegate(model)];
  if (!ctx.changes || !ctx.capture.involves(model, 'delete')) return delegate.deleteMany({ where: toWhere(filter, model) });
  const before: Row[] = await delegate.findMany({ where: toWhere(filter, model), select: ctx.info.scalarSelect(model) });
  if (!before.length) return { count: 0 };
  for (const row of before) await interceptWrite(ctx, model, 'delete', undefined, ctx.info.keyFilter(model, row));
  const cascade = ctx.capture.tracksDelete(model) ? await cascadeChanges(ctx, model, before) : [];
  const result = await delegate.deleteMany({ where: { AND: [ctx.info.keysIn(model, before), toWhere(filter, model)] } });
  for (const row of before) recordChange(ctx, model, 'deleted', row, null);
  for (const [child, kind, old, now] of cascade) recordChange(ctx, child, kind, old, now);
  return result;
}

async function requireAll(ctx: AccessContext, model: Model, rows: Row[], rule: Filter, op: string, field?: string, afterWrite = false): Promise<void> {
  if (rule === true || !rows.length) return;
  const count = rule === false ? 0 : await ctx.db[ctx.info.delegate(model)].count({ where: { AND: [ctx.info.keysIn(model, rows), rule] } });
  if (count !== rows.length) throw await deny(ctx, model.name, op, { ...(field ? { field, onCreate: true } : {}), afterWrite });
}

/**
 * The check an updateMany needs on the rows as written (post-update, or create when `data`
 * changes what create reads), unless the written values settle it for every row; undefined when
 * there is none, so the write is one statement that needs no transaction.
 */
export function afterWriteCheck(ctx: AccessContext, model: Model, data: Row) {
  const rule = afterWriteRule(ctx, model, Object.keys(data));
  if (!rule || rule.filter === true || ctx.rules.evaluate(model.name, rule.op, knownValues(data)) === true) return undefined;
  return rule;
}
