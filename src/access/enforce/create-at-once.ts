import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import type { ChangeKind } from '../../events/index.ts';
import { recordAllCommitted } from './change-capture.ts';
import { writtenFieldRules } from './create-row.ts';
import { checkForeignKeys } from './check-foreign-keys.ts';
import type { RelationInfo, Row } from './model-info.ts';
import { planReturning, readBack } from './read-rows.ts';
import { columnsOf, splitData, staticDefaults, toArray } from './write-helpers.ts';

/**
 * A create its data settles entirely, without an interactive transaction: one Prisma `create`,
 * with its nested creates (which Prisma inserts in one transaction of its own) instead of a
 * statement per row. Every row's create and field rules are decided by its values, the new row
 * is readable by them too, no observer acts in the transaction (`beforeWrite`, `beforeCommit`),
 * and nested operations (on PostgreSQL) are only `create`s of scalar rows tied by a foreign key.
 * Every column of every created row becomes a change event once it commits. Answers the caller's
 * selection (from the INSERT's RETURNING when nothing is nested, else read back), or undefined
 * where any of that does not hold (createRow, in a transaction, then writes).
 */
export async function createRowAtOnce(ctx: AccessContext, model: Model, args: Row): Promise<unknown> {
  const { data } = args;
  if (ctx.inTransaction) return undefined;
  const root = settled(ctx, model, data);
  if (!root || ctx.rules.evaluate(model.name, 'read', root.known) !== true) return undefined;
  // SQLite's nested create reads each relation's rows back in a statement of its own: more
  // statements than the transactional path sends, so nested rows take that path there.
  if (root.relations.length && ctx.info.datamodel.provider !== 'postgresql') return undefined;
  const children: [RelationInfo, Row[]][] = [];
  for (const [relation, ops] of root.relations) {
    const rows = relation.kind === 'inverse' && Object.keys(ops).join() === 'create' ? toArray(ops.create as Row | Row[]) : [];
    const settledRows = rows.map((row) => settled(ctx, relation.target, row));
    if (!rows.length || settledRows.some((row) => !row || row.relations.length)) return undefined;
    children.push([relation, settledRows.map((row) => row!.scalars)]);
  }
  await checkForeignKeys(ctx, model, root.scalars);
  for (const [relation, rows] of children) for (const row of rows) await checkForeignKeys(ctx, relation.target, row);
  const delegate = ctx.db[ctx.info.delegate(model)];
  if (!children.length) {
    const returning = await planReturning(ctx, model, args);
    const created = await delegate.create({ data, select: returning.select });
    recordAllCommitted(ctx, [[model, 'created', null, columnsOf(ctx, model, created)]]);
    // Readable: its values said so.
    return returning.finish(created, true);
  }
  const select: Row = { ...ctx.info.scalarSelect(model) };
  for (const [relation] of children) select[relation.field.name] = { select: ctx.info.scalarSelect(relation.target) };
  const created = await delegate.create({ data, select });
  const row = columnsOf(ctx, model, created);
  const changes: [Model, ChangeKind, null, Row][] = [[model, 'created', null, row]];
  for (const [relation] of children) for (const child of toArray(created[relation.field.name] as Row | Row[])) changes.push([relation.target, 'created', null, child]);
  recordAllCommitted(ctx, changes);
  return readBack(ctx, model, row, args);
}

/** A row's data split, when no observer acts on its model in the transaction and its values decide its create and field rules. */
function settled(ctx: AccessContext, model: Model, data: unknown) {
  if (!data || typeof data !== 'object' || ctx.capture.intercepts(model) || ctx.capture.actsInTransaction(model)) return undefined;
  const { scalars, relations } = splitData(ctx, model, data);
  const known = { ...staticDefaults(model), ...scalars };
  if (ctx.rules.evaluate(model.name, 'create', known) !== true) return undefined;
  const fields = writtenFieldRules(ctx, model, Object.keys(scalars));
  if (fields.some(([field]) => ctx.rules.evaluateField(model.name, field, 'update', known) !== true)) return undefined;
  return { scalars, relations, known };
}
