import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { deny } from './deny.ts';
import { and, type Filter, narrow, toWhere } from '../rules/index.ts';
import { rewriteWhere } from './rewrite-where.ts';

type Args = Record<string, any>;

/**
 * What must be checked after a read: to-one relations (Prisma cannot filter an included to-one
 * row) and fields with read rules, per level of the selection tree.
 */
export interface ReadPlan {
  model: Model;
  fields: Check[];
  toOne: (Check & { target: Model; plan?: ReadPlan })[];
  toMany: { name: string; plan: ReadPlan }[];
}

/** A rule to check on rows: decided from the row's own columns when they suffice, else by query. */
export interface Check {
  name: string;
  rule: Filter;
  decide: (row: Record<string, unknown>) => boolean | undefined;
}

/**
 * Read arguments with the viewer's read rules merged in: the `where` of the model and of every
 * included to-many relation and `_count`, at any depth; the plan says what `applyReadPlan` checks
 * on the rows. Ordering, distinct, cursors and aggregates on what the viewer may not read are
 * refused rather than silently leaking through.
 */
export async function planRead(ctx: AccessContext, model: Model, args: Args = {}, options: { unique?: boolean } = {}): Promise<{ args: Args; plan?: ReadPlan }> {
  const out: Args = { ...args, where: narrow(model, rewriteWhere(ctx, model, args.where), ctx.rules.model(model.name, 'read')) };
  // The checks after the read find rows by key, so the key cannot be omitted.
  if (args.omit) out.omit = Object.fromEntries(Object.entries(args.omit).filter(([f]) => !ctx.info.primaryKey(model).includes(f)));
  if (!options.unique && !out.where.AND && !Object.keys(out.where).length) delete out.where;
  await checkOrdering(ctx, model, args);
  const { selection, plan } = await planSelection(ctx, model, args.select, args.include);
  if (args.select) out.select = selection;
  else if (args.include) out.include = selection;
  return { args: out, plan };
}

async function planSelection(ctx: AccessContext, model: Model, select: Args | undefined, include: Args | undefined) {
  const plan: ReadPlan = { model, fields: [], toOne: [], toMany: [] };
  const source = select ?? include ?? {};
  const selection: Args = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === '_count') {
      selection._count = countSelection(ctx, model, value);
      continue;
    }
    const relation = ctx.info.relation(model, key);
    if (!relation || value === false) {
      selection[key] = value;
      continue;
    }
    const nested: Args = value === true ? {} : { ...value };
    const target = relation.target;
    if (relation.field.isList) {
      nested.where = toWhere(and(rewriteWhere(ctx, target, nested.where) ?? {}, ctx.rules.model(target.name, 'read')), target);
      await checkOrdering(ctx, target, nested);
    }
    const inner = await planSelection(ctx, target, nested.select, nested.include);
    const rule = relation.field.isList ? true : ctx.rules.model(target.name, 'read');
    if (nested.select) nested.select = rule === true ? inner.selection : withKey(ctx, target, inner.selection);
    else if (nested.include) nested.include = inner.selection;
    selection[key] = Object.keys(nested).length ? nested : true;
    if (relation.field.isList) {
      if (!isEmpty(inner.plan)) plan.toMany.push({ name: key, plan: inner.plan });
      continue;
    }
    if (rule !== true || !isEmpty(inner.plan)) {
      const decide = (row: Record<string, unknown>) => ctx.rules.evaluate(target.name, 'read', row);
      plan.toOne.push({ name: key, target, rule, decide, plan: isEmpty(inner.plan) ? undefined : inner.plan });
    }
  }
  const returned = select ? Object.keys(select).filter((k) => select[k] && ctx.info.scalarNames(model).has(k)) : [...ctx.info.scalarNames(model)];
  for (const name of ctx.rules.ruledFields(model.name, 'read')) {
    if (!returned.includes(name)) continue;
    const rule = ctx.rules.field(model.name, name, 'read');
    if (rule !== true) plan.fields.push({ name, rule, decide: (row) => ctx.rules.evaluateField(model.name, name, 'read', row) });
  }
  return { selection: select && (plan.fields.length || plan.toOne.length) ? withKey(ctx, model, selection) : selection, plan };
}

/** `_count: true` or `_count: { select: { posts: true | { where } } }` with each relation's read rule. */
function countSelection(ctx: AccessContext, model: Model, value: unknown): unknown {
  const requested: Args =
    value === true
      ? Object.fromEntries(model.fields.filter((f) => f.kind === 'object' && f.isList).map((f) => [f.name, true]))
      : ((value as Args)?.select ?? {});
  const select: Args = {};
  for (const [name, spec] of Object.entries(requested)) {
    const relation = ctx.info.relation(model, name);
    if (!relation || spec === false) continue;
    const where = (spec as Args)?.where;
    const rule = and(rewriteWhere(ctx, relation.target, where) ?? {}, ctx.rules.model(relation.target.name, 'read'));
    select[name] = rule === true && !where ? true : { where: toWhere(rule, relation.target) };
  }
  return { select };
}

/** orderBy/distinct/cursor must not sort by, group by or start at what the viewer may not read. */
export async function checkOrdering(ctx: AccessContext, model: Model, args: Args): Promise<void> {
  for (const name of args.distinct ?? []) await requireReadable(ctx, model, name);
  const orderBy = args.orderBy == null ? [] : Array.isArray(args.orderBy) ? args.orderBy : [args.orderBy];
  for (const entry of orderBy) await checkOrderEntry(ctx, model, entry);
}

async function checkOrderEntry(ctx: AccessContext, model: Model, entry: Args): Promise<void> {
  for (const [key, value] of Object.entries(entry ?? {})) {
    const relation = ctx.info.relation(model, key);
    if (relation) {
      // Sorting by a related row (or by how many there are) reveals rows the viewer may not read.
      if (ctx.rules.model(relation.target.name, 'read') !== true) throw await deny(ctx, relation.target.name, 'read');
      if (value && typeof value === 'object' && !('_count' in value)) await checkOrderEntry(ctx, relation.target, value);
    } else if (ctx.info.scalarNames(model).has(key)) await requireReadable(ctx, model, key);
    else if (key.startsWith('_') && value && typeof value === 'object') {
      // groupBy's orderBy: { _sum: { views: 'asc' } }
      for (const field of Object.keys(value)) if (ctx.info.scalarNames(model).has(field)) await requireReadable(ctx, model, field);
    }
  }
}

/** Refuses to aggregate, group or sort by a field the viewer may not read on every row. */
export async function requireReadable(ctx: AccessContext, model: Model, field: string): Promise<void> {
  if (ctx.rules.field(model.name, field, 'read') !== true) throw await deny(ctx, model.name, 'read', { field });
}

const isEmpty = (plan: ReadPlan) => !plan.fields.length && !plan.toOne.length && !plan.toMany.length;

/** The checks after a read find rows by key, so a `select` must include it. */
function withKey(ctx: AccessContext, model: Model, selection: Args): Args {
  return { ...ctx.info.keySelect(model), ...selection };
}
