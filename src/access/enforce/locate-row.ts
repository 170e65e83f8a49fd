import type { Model } from '../../db/index.ts';
import { notFound } from '../../errors.ts';
import type { AccessContext } from './access-context.ts';
import { deny } from './deny.ts';
import { and, type Filter, narrow, type Where } from '../rules/index.ts';
import type { RelationInfo, Row } from './model-info.ts';
import { queryRows } from './query-rows.ts';
import { rewriteWhere } from './rewrite-where.ts';
import { matches } from './write-helpers.ts';

/**
 * The one row `where` names (within `scope`, for nested writes) if the viewer may `op` it and
 * update each of `fields`. A row the viewer may not read answers NOT_FOUND exactly as one that
 * does not exist, so writes cannot probe for hidden rows; a readable row the rules do not allow
 * is FORBIDDEN naming the rule. One query when allowed. `select` (with every column) replaces
 * the columns it answers.
 */
export async function locateRow(
  ctx: AccessContext,
  model: Model,
  where: Where,
  op: 'update' | 'delete',
  options: { scope?: Filter; fields?: [string, Filter][]; select?: Row } = {},
): Promise<Row> {
  const rule = ctx.rules.model(model.name, op);
  const fieldRules = options.fields ?? [];
  const select = ctx.info.scalarSelect(model);
  const rewritten = rewriteWhere(ctx, model, where);
  const row = await queryRows(ctx, model, 'findUnique', { where: narrow(model, rewritten, options.scope ?? true, rule, ...fieldRules.map(([, r]) => r)), select: options.select ?? select });
  if (row) return row;
  const visible = await queryRows(ctx, model, 'findUnique', { where: narrow(model, rewritten, options.scope ?? true, ctx.rules.model(model.name, 'read')), select });
  if (!visible) throw notFound(`No ${model.name} matches the given where${options.scope ? ' among the related rows' : ''}`, { model: model.name });
  if (!(await matches(ctx, model, visible, rule))) throw await deny(ctx, model.name, op, { row: visible });
  for (const [field, fieldRule] of fieldRules) {
    if (!(await matches(ctx, model, visible, fieldRule))) throw await deny(ctx, model.name, 'update', { field, row: visible });
  }
  throw await deny(ctx, model.name, op, { row: visible });
}

/**
 * The row a nested connect (or set/disconnect) addresses. Pointing at a row needs read (a row the
 * viewer may not read is NOT_FOUND, as a missing one); when the write changes that row's own
 * foreign key (the other side of a one-to-many or one-to-one), it needs update too. Implicit
 * many-to-many links change neither row.
 */
export async function pointableRow(ctx: AccessContext, relation: RelationInfo, where: Where, scope?: Filter): Promise<Row> {
  const { target } = relation;
  const read = ctx.rules.model(target.name, 'read');
  const update = relation.kind === 'inverse' ? ctx.rules.model(target.name, 'update') : true;
  const select = ctx.info.scalarSelect(target);
  const rewritten = rewriteWhere(ctx, target, where);
  const row = await queryRows(ctx, target, 'findUnique', { where: narrow(target, rewritten, scope ?? true, and(read, update)), select });
  if (row) return row;
  const visible = update === true ? null : await queryRows(ctx, target, 'findUnique', { where: narrow(target, rewritten, scope ?? true, read), select });
  if (!visible) throw notFound(`No ${target.name} matches the given where in the nested write on ${relation.field.name}`, { model: target.name });
  throw await deny(ctx, target.name, 'update', { row: visible });
}
