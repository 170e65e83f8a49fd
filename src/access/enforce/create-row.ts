import type { Model } from '../../db/index.ts';
import { badInput } from '../../errors.ts';
import type { AccessContext } from './access-context.ts';
import { rowsMoved } from './after-write-rule.ts';
import { interceptWrite, recordChange } from './change-capture.ts';
import { checkForeignKeys } from './check-foreign-keys.ts';
import { deny } from './deny.ts';
import { pointableRow } from './locate-row.ts';
import type { RelationInfo, Row } from './model-info.ts';
import type { Filter } from '../rules/index.ts';
import { childOf, columnsOf, matches, pointingAt, splitData, staticDefaults, toArray } from './write-helpers.ts';

/** How a row created under a parent is tied to it: foreign-key values, or an implicit m2m link. */
export interface Link {
  values: Row;
  connect?: { field: string; where: Row };
}

/** Steps that need the parent row first (creating its children), run after its insert. */
export type AfterWrite = (parent: Row) => Promise<unknown>;

/**
 * Creates one row and everything nested in `data`, each checked with the rules of its own model.
 * Rows the new row points at are created or checked first (their keys become its foreign keys);
 * its children are created after it. The create rule is decided from the data when it can be,
 * otherwise checked on the inserted row (the caller's transaction rolls back on FORBIDDEN).
 * Returns the row's columns, or what `returning` selects (a Prisma select with every column; only
 * for `data` without nested operations, as children are created after the INSERT).
 */
export async function createRow(ctx: AccessContext, model: Model, data: unknown, link?: Link, returning?: Row): Promise<Row> {
  const rule = ctx.rules.model(model.name, 'create');
  if (rule === false) throw await deny(ctx, model.name, 'create');
  const { scalars, relations } = splitData(ctx, model, data);
  await checkForeignKeys(ctx, model, scalars);
  const values: Row = { ...scalars };
  const passThrough: Row = {};
  const after: AfterWrite[] = [];
  for (const [relation, ops] of relations) {
    if (relation.kind === 'owner') Object.assign(values, await ownerOnCreate(ctx, relation, ops));
    else await relatedOnCreate(ctx, relation, ops, passThrough, after);
  }
  // Fields the viewer sets (not the parent link of a nested create) pass their field update rules.
  const fieldRules = writtenFieldRules(ctx, model, Object.keys(values));
  Object.assign(values, link?.values);
  if (link?.connect) passThrough[link.connect.field] = { connect: link.connect.where };
  const known = { ...staticDefaults(model), ...values };
  const verdict = ctx.rules.evaluate(model.name, 'create', known);
  if (verdict === false) throw await deny(ctx, model.name, 'create');
  const undecided: [string, Filter][] = [];
  for (const [field, filter] of fieldRules) {
    const fieldVerdict = ctx.rules.evaluateField(model.name, field, 'update', known);
    if (fieldVerdict === false) throw await deny(ctx, model.name, 'update', { field, onCreate: true });
    if (fieldVerdict === undefined) undecided.push([field, filter]);
  }
  const written = await interceptWrite(ctx, model, 'create', { ...values, ...passThrough });
  const result = await ctx.db[ctx.info.delegate(model)].create({ data: written, select: returning ?? ctx.info.scalarSelect(model) });
  const row = returning ? columnsOf(ctx, model, result) : result;
  recordChange(ctx, model, 'created', null, row);
  if (verdict === undefined && !(await matches(ctx, model, row, rule))) throw await deny(ctx, model.name, 'create', { row });
  for (const [field, filter] of undecided) if (!(await matches(ctx, model, row, filter))) throw await deny(ctx, model.name, 'update', { field, row, onCreate: true });
  for (const step of after) await step(row);
  return result;
}

/**
 * The field update rules a create must pass for the fields it writes: a field's update rule
 * guards every write of it, so a value the viewer may not set later cannot be set at creation
 * either. On create it is checked against the new row (there is no row before).
 */
export function writtenFieldRules(ctx: AccessContext, model: Model, fields: string[]): [string, Filter][] {
  return fields.map((f): [string, Filter] => [f, ctx.rules.field(model.name, f, 'update')]).filter(([, rule]) => rule !== true);
}

/** `author: { create | connect | connectOrCreate }`: the row to point at, as foreign-key values. */
async function ownerOnCreate(ctx: AccessContext, relation: RelationInfo, ops: Row): Promise<Row> {
  const keys = Object.keys(ops);
  if (keys.length !== 1) throw badInput(`${relation.field.name}: give exactly one of create, connect, connectOrCreate`);
  return pointingAt(relation, await ownerTarget(ctx, relation, keys[0]!, ops[keys[0]!]));
}

/** The row an owner-side nested create/connect/connectOrCreate ends up pointing at. */
export async function ownerTarget(ctx: AccessContext, relation: RelationInfo, op: string, value: Row): Promise<Row> {
  switch (op) {
    case 'create':
      return createRow(ctx, relation.target, value);
    case 'connect':
      return pointableRow(ctx, relation, value);
    case 'connectOrCreate': {
      const exists = await ctx.db[ctx.info.delegate(relation.target)].findUnique({ where: value.where, select: ctx.info.keySelect(relation.target) });
      return exists ? pointableRow(ctx, relation, value.where) : createRow(ctx, relation.target, value.create);
    }
    default:
      throw badInput(`${relation.field.name}: ${op} is not a nested create operation`);
  }
}

/** How rows created under `parent` through a non-owner relation are tied to it. */
export function linkTo(ctx: AccessContext, relation: RelationInfo, parentModel: Model, parent: Row): Link {
  if (relation.kind === 'inverse') return { values: childOf(relation, parent) };
  return { values: {}, connect: { field: relation.opposite.name, where: ctx.info.uniqueWhere(parentModel, parent) } };
}

/**
 * `posts: { create, connect, connectOrCreate, createMany }` on a new row: connects are checked now
 * and passed to Prisma with the insert; creates run after it, tied to the new row.
 */
async function relatedOnCreate(ctx: AccessContext, relation: RelationInfo, ops: Row, passThrough: Row, after: AfterWrite[]): Promise<void> {
  const parentModel = ctx.info.model(relation.opposite.type);
  const connect: Row[] = [];
  const connected: Row[] = [];
  const point = async (where: Row) => {
    const row = await pointableRow(ctx, relation, where);
    connected.push(row);
    connect.push(ctx.info.uniqueWhere(relation.target, row));
  };
  for (const [op, value] of Object.entries(ops)) {
    for (const item of op === 'createMany' ? [value] : toArray(value as Row | Row[])) {
      if (op === 'create') after.push((parent) => createRow(ctx, relation.target, item, linkTo(ctx, relation, parentModel, parent)));
      else if (op === 'connect') await point(item);
      else if (op === 'connectOrCreate') {
        const exists = await ctx.db[ctx.info.delegate(relation.target)].findUnique({ where: item.where, select: ctx.info.keySelect(relation.target) });
        if (exists) await point(item.where);
        else after.push((parent) => createRow(ctx, relation.target, item.create, linkTo(ctx, relation, parentModel, parent)));
      } else if (op === 'createMany') {
        after.push(async (parent) => {
          for (const row of toArray(item.data as Row | Row[])) await createRow(ctx, relation.target, row, linkTo(ctx, relation, parentModel, parent));
        });
      } else throw badInput(`${relation.field.name}: ${op} is not allowed when creating a row`);
    }
  }
  if (connect.length) passThrough[relation.field.name] = { connect: relation.field.isList ? connect : connect[0] };
  // Connecting rows of an inverse relation rewrites their foreign key to the new row.
  if (connected.length && relation.kind === 'inverse') after.push(() => rowsMoved(ctx, relation, connected));
}
