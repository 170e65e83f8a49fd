import { directSqlOf, type Model } from '../../db/index.ts';
import { badInput, notFound } from '../../errors.ts';
import type { AccessContext } from './access-context.ts';
import { afterWriteRule, rowsMoved, unchangedBy } from './after-write-rule.ts';
import { applyReadPlan } from './apply-read-plan.ts';
import { cascadeChanges, interceptWrite, recordChange, recordCommitted } from './change-capture.ts';
import { checkForeignKeys } from './check-foreign-keys.ts';
import { createRow, linkTo, ownerTarget, type AfterWrite } from './create-row.ts';
import { deny } from './deny.ts';
import { and, type Filter, narrow, type Where } from '../rules/index.ts';
import { locateRow, pointableRow } from './locate-row.ts';
import type { RelationInfo, Row } from './model-info.ts';
import { planRead } from './plan-read.ts';
import { planReturning } from './read-rows.ts';
import { rewriteWhere } from './rewrite-where.ts';
import { deleteManyRows, updateManyRows } from './write-many.ts';
import { childOf, columnsOf, knownValues, matches, pointingAt, splitData, toArray, whereAndData } from './write-helpers.ts';

/**
 * Updates the row `where` names (within `scope` for nested updates) if the viewer may update it
 * and every field written; rules see the row as it was before the write. Nested operations are
 * checked with their own models' rules; post-update rules see the row after it, in the same
 * transaction. Returns the updated row: its columns, or what `returning` selects (a Prisma select
 * with every column; only for `data` without nested operations, which run after the UPDATE).
 */
export async function updateRow(ctx: AccessContext, model: Model, where: Where, data: unknown, scope?: Filter, returning?: Row): Promise<Row> {
  const { scalars, relations } = splitData(ctx, model, data);
  const written = new Set(Object.keys(scalars));
  // A nested create/connect/disconnect through a relation this row owns rewrites its foreign key.
  for (const [relation, ops] of relations) if (relation.kind === 'owner' && Object.keys(ops).some((op) => op !== 'update')) relation.from.forEach((f) => written.add(f));
  const fields = [...written].map((f): [string, Filter] => [f, ctx.rules.field(model.name, f, 'update')]).filter(([, rule]) => rule !== true);
  const row = await locateRow(ctx, model, where, 'update', { scope, fields });
  await checkForeignKeys(ctx, model, scalars);
  const values: Row = { ...scalars };
  const passThrough: Row = {};
  const after: AfterWrite[] = [];
  for (const [relation, ops] of relations) {
    if (relation.kind === 'owner') Object.assign(values, await ownerOnUpdate(ctx, relation, ops, row, after));
    else await relatedOnUpdate(ctx, model, relation, ops, row, passThrough, after);
  }
  const result = await ctx.db[ctx.info.delegate(model)].update({
    where: ctx.info.uniqueWhere(model, row),
    data: await interceptWrite(ctx, model, 'update', { ...values, ...passThrough }, ctx.info.keyFilter(model, row)),
    select: returning ?? ctx.info.scalarSelect(model),
  });
  const updated = returning ? columnsOf(ctx, model, result) : result;
  recordChange(ctx, model, 'updated', row, updated);
  // The row as written must pass post-update, or (without one) create when the write changed what
  // create reads; the returned columns often decide it without a query.
  const afterRule = afterWriteRule(ctx, model, written);
  if (afterRule && !(ctx.rules.evaluate(model.name, afterRule.op, updated) ?? (await matches(ctx, model, updated, afterRule.filter)))) {
    throw await deny(ctx, model.name, afterRule.op, { row: updated, afterWrite: true });
  }
  for (const step of after) await step(updated);
  return result;
}

/**
 * A scalar-only update without a transaction of its own, when nothing about the row after it can
 * fail: the rules on the row after the write (read, and post-update or create when they apply)
 * are constant for this viewer, settled by the written values, or read none of the columns the
 * update writes, so they hold afterwards exactly when they hold for the row as it is, and ride in
 * the UPDATE's WHERE with the update and field rules. The returned row is read through the read
 * rules in the same statement. A model whose changes are captured gets its before-image from
 * the same statement (updateCapturedRow), and its change goes out as the UPDATE commits on its
 * own — unless an observer acts inside the transaction (beforeWrite, or beforeCommit outside
 * one). Returns undefined when the write needs `updateRow` in a transaction, and also when no row
 * matched: nothing was written, and `updateRow` then tells NOT_FOUND from FORBIDDEN.
 */
export async function updateRowDirectly(ctx: AccessContext, model: Model, args: Row): Promise<unknown> {
  const { scalars, relations } = splitData(ctx, model, args.data);
  const rule = ctx.rules.model(model.name, 'update');
  if (relations.length || rule === false) return undefined;
  const captured = ctx.capture.involves(model, 'update');
  if (captured && (ctx.capture.intercepts(model) || (!ctx.inTransaction && ctx.capture.actsInTransaction(model)))) return undefined;
  // Prisma sets @updatedAt columns on every update.
  const written = [...Object.keys(scalars), ...model.fields.filter((f) => f.isUpdatedAt).map((f) => f.name)];
  const read = ctx.rules.model(model.name, 'read');
  const readAfter = read === true ? true : unchangedBy(ctx, model, 'read', written);
  // An after-write check the written values settle (`auth().id == authorId` with authorId given) costs nothing.
  const afterRule = afterWriteRule(ctx, model, Object.keys(scalars));
  const settled = !afterRule || afterRule.filter === true || ctx.rules.evaluate(model.name, afterRule.op, knownValues(scalars)) === true;
  const checkAfter = settled ? true : unchangedBy(ctx, model, afterRule!.op, written);
  if (readAfter === undefined || checkAfter === undefined) return undefined;
  const fields = Object.keys(scalars).map((f): [string, Filter] => [f, ctx.rules.field(model.name, f, 'update')]);
  const filters = [rule, ...fields.map(([, r]) => r), readAfter, checkAfter];
  await checkForeignKeys(ctx, model, scalars);
  if (captured) {
    const fieldRules = fields.filter(([, r]) => r !== true);
    return updateCapturedRow(ctx, model, args, scalars, filters, () => locateRow(ctx, model, args.where, 'update', { fields: fieldRules }));
  }
  const { select, include, omit } = args;
  const planned = await planRead(ctx, model, { select, include, omit }, { unique: true });
  const row = await updateMatched(ctx, model, { ...planned.args, where: narrow(model, rewriteWhere(ctx, model, args.where), ...filters), data: scalars });
  // No row matched, or the direct statement's values were refused: the transaction decides, with Prisma's own errors.
  if (!row) return undefined;
  await applyReadPlan(ctx, planned.plan, row);
  return row;
}

/**
 * updateRowDirectly for a model whose changes are captured: its UPDATE returns every column (the
 * after-image), and the before-image comes from the same statement where direct SQL compiles it
 * (else from `locate`, a SELECT ahead of it). `filters` are evaluated on the row as it was.
 */
async function updateCapturedRow(ctx: AccessContext, model: Model, args: Row, scalars: Row, filters: Filter[], locate: () => Promise<Row>): Promise<unknown> {
  const returning = await planReturning(ctx, model, args);
  const update = { select: returning.select, data: scalars };
  const where = (key: Where | undefined) => narrow(model, key, ...filters);
  const merged = directSqlOf(ctx.db)?.updateReturningBefore(model, { ...update, where: where(rewriteWhere(ctx, model, args.where)) });
  let written: { before: Row; after: Row | null } | null;
  if (merged) written = await merged;
  else {
    const before = await locate();
    written = { before, after: await updateMatched(ctx, model, { ...update, where: where(ctx.info.uniqueWhere(model, before)) }) };
  }
  // No row matched (or it changed after a before-image read ahead), or the values were refused: the transaction decides.
  if (!written?.after) return undefined;
  recordCommitted(ctx, model, 'updated', written.before, columnsOf(ctx, model, written.after));
  // Readable: the WHERE said so.
  return returning.finish(written.after, true);
}

/** The row `update` wrote (direct SQL where it compiles), or null when no row matched or the values were refused. */
async function updateMatched(ctx: AccessContext, model: Model, update: Row): Promise<Row | null> {
  try {
    return await (directSqlOf(ctx.db)?.update(model, update) ?? ctx.db[ctx.info.delegate(model)].update(update));
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2025') throw error;
    return null;
  }
}

/** Deletes the row `where` names if the viewer may delete it (`located`: already found so, with its columns); returns the row as it was. */
export async function deleteRow(ctx: AccessContext, model: Model, where: Where, scope?: Filter, located?: Row): Promise<Row> {
  const row = located ?? (await locateRow(ctx, model, where, 'delete', { scope }));
  await interceptWrite(ctx, model, 'delete', undefined, ctx.info.keyFilter(model, row));
  const cascade = ctx.changes && ctx.capture.tracksDelete(model) ? await cascadeChanges(ctx, model, [row]) : [];
  await ctx.db[ctx.info.delegate(model)].delete({ where: ctx.info.uniqueWhere(model, row) });
  recordChange(ctx, model, 'deleted', row, null);
  for (const [child, kind, before, after] of cascade) recordChange(ctx, child, kind, before, after);
  return row;
}

/** The row this one points at through an owner relation, or null; `visible`: only if the viewer may read it (a hidden row is absent). */
async function currentTarget(ctx: AccessContext, relation: RelationInfo, row: Row, filter?: Row, visible = false): Promise<Row | null> {
  const refs = Object.fromEntries(relation.to.map((t, i) => [t, row[relation.from[i]!]]));
  if (Object.values(refs).some((v) => v == null)) return null;
  const where = visible ? narrow(relation.target, refs, rewriteWhere(ctx, relation.target, filter) ?? true, ctx.rules.model(relation.target.name, 'read')) : narrow(relation.target, refs, filter ?? true);
  return ctx.db[ctx.info.delegate(relation.target)].findFirst({ where, select: ctx.info.scalarSelect(relation.target) });
}

/** `author: { create connect connectOrCreate disconnect delete update upsert }` on an existing row. */
async function ownerOnUpdate(ctx: AccessContext, relation: RelationInfo, ops: Row, row: Row, after: AfterWrite[]): Promise<Row> {
  const values: Row = {};
  const nulls = Object.fromEntries(relation.from.map((f) => [f, null]));
  for (const [op, value] of Object.entries(ops)) {
    if (op === 'create' || op === 'connect' || op === 'connectOrCreate') Object.assign(values, pointingAt(relation, await ownerTarget(ctx, relation, op, value)));
    else if (op === 'disconnect' || op === 'delete') {
      if (!value) continue;
      const current = await currentTarget(ctx, relation, row, value === true ? undefined : value, op === 'delete');
      if (!current) continue;
      Object.assign(values, nulls);
      if (op === 'delete') after.push(() => deleteRow(ctx, relation.target, ctx.info.uniqueWhere(relation.target, current)));
    } else if (op === 'update') {
      const { where, data } = whereAndData(value);
      const current = await currentTarget(ctx, relation, row, where, true);
      if (!current) throw notFound(`${relation.field.name}: no related ${relation.target.name} to update`, { model: relation.target.name });
      after.push(() => updateRow(ctx, relation.target, ctx.info.uniqueWhere(relation.target, current), data));
    } else if (op === 'upsert') {
      const current = await currentTarget(ctx, relation, row, value.where);
      if (current) after.push(() => updateRow(ctx, relation.target, ctx.info.uniqueWhere(relation.target, current), value.update));
      else Object.assign(values, pointingAt(relation, await createRow(ctx, relation.target, value.create)));
    } else throw badInput(`${relation.field.name}: unknown nested operation ${op}`);
  }
  return values;
}

/**
 * `posts: { create connect connectOrCreate set disconnect update upsert delete updateMany
 * deleteMany createMany }` on an existing row: connects, disconnects and sets are checked now and
 * passed to Prisma with the update; the rest run after it, scoped to this row's related rows.
 */
async function relatedOnUpdate(ctx: AccessContext, model: Model, relation: RelationInfo, ops: Row, row: Row, passThrough: Row, after: AfterWrite[]): Promise<void> {
  const { target, field } = relation;
  const delegate = ctx.db[ctx.info.delegate(target)];
  const scope: Where = relation.kind === 'inverse' ? childOf(relation, row) : { [relation.opposite.name]: { some: ctx.info.keyFilter(model, row) } };
  const keyOf = (r: Row) => ctx.info.uniqueWhere(target, r);
  const currentOne = (filter?: unknown) => delegate.findFirst({ where: narrow(target, scope, (filter as Where) ?? true), select: ctx.info.scalarSelect(target) });
  // The related row as the viewer sees it: one it may not read is absent, as in a query.
  const visibleOne = (filter?: unknown) =>
    delegate.findFirst({ where: narrow(target, scope, rewriteWhere(ctx, target, filter) ?? true, ctx.rules.model(target.name, 'read')), select: ctx.info.scalarSelect(target) });
  const pass: Record<string, Row[]> = {};
  const moved: Row[] = [];
  const pointed: Row[] = [];
  // Adds a checked row (all its columns) to a nested connect/disconnect/set passed to Prisma.
  const add = (op: string, row: Row) => {
    (pass[op] ??= []).push(keyOf(row));
    if (op !== 'set') moved.push(row);
    else pointed.push(row);
  };
  // A to-one inverse relation (User.profile) replaced by a connect or create loses its current row.
  const releaseCurrent = async () => {
    if (field.isList) return;
    const current = await currentOne();
    if (current && !(await matches(ctx, target, current, and(ctx.rules.model(target.name, 'read'), ctx.rules.model(target.name, 'update'))))) {
      throw await deny(ctx, target.name, 'update', { row: current });
    }
  };
  for (const [op, value] of Object.entries(ops)) {
    const items: Row[] = op === 'createMany' ? [value] : value === true ? [{}] : toArray(value as Row | Row[]);
    for (const item of items) {
      switch (op) {
        case 'create':
          await releaseCurrent();
          after.push((parent) => createRow(ctx, target, item, linkTo(ctx, relation, model, parent)));
          break;
        case 'createMany':
          after.push(async (parent) => {
            for (const data of toArray(item.data as Row | Row[])) await createRow(ctx, target, data, linkTo(ctx, relation, model, parent));
          });
          break;
        case 'connect':
          await releaseCurrent();
          add('connect', await pointableRow(ctx, relation, item));
          break;
        case 'connectOrCreate':
          await releaseCurrent();
          if (await delegate.findUnique({ where: item.where, select: ctx.info.keySelect(target) })) add('connect', await pointableRow(ctx, relation, item.where));
          else after.push((parent) => createRow(ctx, target, item.create, linkTo(ctx, relation, model, parent)));
          break;
        case 'disconnect': {
          const current = field.isList ? await delegate.findUnique({ where: narrow(target, item, scope), select: ctx.info.keySelect(target) }) : await currentOne(value === true ? undefined : value);
          if (!current) break;
          const checked = await pointableRow(ctx, relation, ctx.info.uniqueWhere(target, current), scope);
          if (field.isList) add('disconnect', checked);
          else {
            passThrough[field.name] = { disconnect: true };
            moved.push(checked);
          }
          break;
        }
        case 'set':
          add('set', await pointableRow(ctx, relation, item));
          break;
        case 'update': {
          const { where, data } = whereAndData(item);
          if (field.isList) after.push(() => updateRow(ctx, target, where ?? {}, data, scope));
          else {
            const current = await visibleOne(where);
            if (!current) throw notFound(`${field.name}: no related ${target.name} to update`, { model: target.name });
            after.push(() => updateRow(ctx, target, keyOf(current), data, scope));
          }
          break;
        }
        case 'upsert': {
          const current = field.isList ? await delegate.findUnique({ where: narrow(target, item.where, scope), select: ctx.info.scalarSelect(target) }) : await currentOne(item.where);
          if (current) after.push(() => updateRow(ctx, target, keyOf(current), item.update, scope));
          else after.push((parent) => createRow(ctx, target, item.create, linkTo(ctx, relation, model, parent)));
          break;
        }
        case 'delete': {
          const current = field.isList ? undefined : await visibleOne(value === true ? undefined : value);
          if (!field.isList && !current) throw notFound(`${field.name}: no related ${target.name} to delete`, { model: target.name });
          after.push(() => deleteRow(ctx, target, current ? keyOf(current) : item, scope));
          break;
        }
        case 'updateMany':
          after.push(() => updateManyRows(ctx, target, narrow(target, item.where ?? {}, scope), item.data));
          break;
        case 'deleteMany':
          after.push(() => deleteManyRows(ctx, target, narrow(target, item, scope)));
          break;
        default:
          throw badInput(`${field.name}: unknown nested operation ${op}`);
      }
    }
  }
  if ('set' in ops) moved.push(...(await releaseSet(ctx, relation, scope, pointed)));
  // Connected and released rows of an inverse relation have their foreign key rewritten.
  if (relation.kind === 'inverse' && moved.length) after.push(() => rowsMoved(ctx, relation, moved));
  const nested: Row = {};
  for (const [op, wheres] of Object.entries(pass)) nested[op] = field.isList ? wheres : wheres[0];
  if ('set' in ops && !pass.set) nested.set = [];
  if (Object.keys(nested).length) passThrough[field.name] = { ...(passThrough[field.name] as Row), ...nested };
}

/**
 * `set` drops the related rows not in the new set: the viewer must be able to (read and, for a
 * foreign key on them, update) each. Returns the rows whose membership changes (dropped and newly
 * added), whose foreign key the write rewrites on an inverse relation.
 */
async function releaseSet(ctx: AccessContext, relation: RelationInfo, scope: Where, keptRows: Row[]): Promise<Row[]> {
  const { target } = relation;
  const current: Row[] = await ctx.db[ctx.info.delegate(target)].findMany({ where: scope, select: ctx.info.scalarSelect(target) });
  const keep = new Set(keptRows.map((r) => ctx.info.keyOf(target, r)));
  const was = new Set(current.map((r) => ctx.info.keyOf(target, r)));
  const dropped = current.filter((r) => !keep.has(ctx.info.keyOf(target, r)));
  const added = keptRows.filter((r) => !was.has(ctx.info.keyOf(target, r)));
  if (!dropped.length) return added;
  const rule = and(ctx.rules.model(target.name, 'read'), relation.kind === 'inverse' ? ctx.rules.model(target.name, 'update') : true);
  const allowed = rule === true ? dropped.length : rule === false ? 0 : await ctx.db[ctx.info.delegate(target)].count({ where: { AND: [ctx.info.keysIn(target, dropped), rule] } });
  if (allowed !== dropped.length) throw await deny(ctx, target.name, relation.kind === 'inverse' ? 'update' : 'read');
  return [...dropped, ...added];
}

