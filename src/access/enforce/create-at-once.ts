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
 * selection from the create's own result (read back after it when the selection filters or pages
 * a created relation), or undefined where any of that does not hold (createRow, in a
 * transaction, then writes).
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
  const returning = await planReturning(ctx, model, args);
  const answer = answerWithChildren(ctx, returning.select, children);
  // A relation selection the created rows alone may not answer (a filter, a page): the rows' columns now, read back after.
  const { select } = answer ?? answerWithChildren(ctx, ctx.info.scalarSelect(model), children)!;
  const created = await ctx.db[ctx.info.delegate(model)].create({ data, select });
  const row = columnsOf(ctx, model, created);
  const changes: [Model, ChangeKind, null, Row][] = [[model, 'created', null, row]];
  for (const [relation] of children) {
    for (const child of toArray(created[relation.field.name] as Row | Row[])) changes.push([relation.target, 'created', null, columnsOf(ctx, relation.target, child)]);
  }
  recordAllCommitted(ctx, changes);
  if (!answer) return readBack(ctx, model, row, args);
  answer.strip(created);
  // Readable: its values said so.
  return returning.finish(created, true);
}

const answerable = new Set(['select', 'include', 'orderBy', 'where', 'take']);

/**
 * The caller's selection (read rules planned in) with every column of every created row added,
 * for change capture, and `strip` to take out again what the caller did not ask for; undefined
 * when a created relation's selection filters or pages it (the rows it shows are then not all the
 * rows created: a `where`, a `skip`, a cursor, a `take` below their number). A new row's related
 * rows are exactly the ones created with it.
 */
function answerWithChildren(ctx: AccessContext, selection: Row, children: [RelationInfo, Row[]][]) {
  const select: Row = { ...selection };
  const added: [string, string[] | 'all'][] = [];
  for (const [relation, rows] of children) {
    const name = relation.field.name;
    const columns = ctx.info.scalarSelect(relation.target);
    const asked = select[name] as Row | boolean | undefined;
    if (!asked) {
      select[name] = { select: columns };
      added.push([name, 'all']);
    } else if (asked !== true) {
      const showsAll = (asked.take === undefined || asked.take >= rows.length) && !Object.keys(asked.where ?? {}).length;
      if (!showsAll || !Object.keys(asked).every((key) => answerable.has(key))) return undefined;
      if (!asked.select) continue; // an include: every column comes anyway
      select[name] = { ...asked, select: { ...columns, ...asked.select } };
      added.push([name, Object.keys(columns).filter((column) => !asked.select[column])]);
    }
  }
  const strip = (row: Row) => {
    for (const [name, columns] of added) {
      if (columns === 'all') delete row[name];
      else for (const child of toArray(row[name] as Row | Row[])) for (const column of columns) delete child[column];
    }
  };
  return { select, strip };
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
