import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { deny } from './deny.ts';
import type { Cond, Filter, ModelRules, Operand, RuleSet } from '../rules/index.ts';
import { recordChange } from './change-capture.ts';
import type { ModelInfo, RelationInfo, Row } from './model-info.ts';

/** The rule an updated row must satisfy once written, and its name for FORBIDDEN. */
export interface AfterWriteRule {
  op: 'post-update' | 'create';
  filter: Filter;
}

/**
 * What an updated row must satisfy after the write. A declared `post-update` rule decides.
 * Without one, an update that changed a column the model's `create` rule reads (a foreign key,
 * an owner id, a role) must leave a row the viewer could have created: the create rule is checked
 * on the row as written. Updates touching nothing the create rule reads need nothing (undefined).
 */
export function afterWriteRule(ctx: AccessContext, model: Model, written: Iterable<string>): AfterWriteRule | undefined {
  const rules = ctx.rules.resolved.models.get(model.name);
  if (!rules) return undefined;
  if (declared(rules.operations['post-update'])) return { op: 'post-update', filter: ctx.rules.model(model.name, 'post-update') };
  const reads = ruleColumns(ctx.info, rules, 'create');
  for (const column of written) {
    if (reads.has(column)) return { op: 'create', filter: ctx.rules.model(model.name, 'create') };
  }
  return undefined;
}

const declared = (set: RuleSet) => set.allow.length > 0 || set.deny.length > 0;

const cache = new WeakMap<ModelRules, Map<string, Set<string>>>();

/**
 * The columns of a model whose values its rules for `op` depend on: fields they compare, the
 * foreign keys of the to-one relations their paths start with (`club.ownerId` reads `clubId`),
 * and the key columns other rows reference for collections (`members?[…]`). Viewer-independent,
 * so cached.
 */
export function ruleColumns(info: ModelInfo, rules: ModelRules, op: keyof ModelRules['operations']): Set<string> {
  let byOp = cache.get(rules);
  if (!byOp) cache.set(rules, (byOp = new Map()));
  let columns = byOp.get(op);
  if (columns) return columns;
  columns = new Set();
  const set = rules.operations[op];
  for (const rule of [...set.allow, ...set.deny]) collect(info, rules.model, rule.cond, columns);
  byOp.set(op, columns);
  return columns;
}

/**
 * A rule on the row after an update that the update cannot change, so it can be checked in the
 * UPDATE's own WHERE on the row as it is: its filter, when it reads none of the `written` columns;
 * undefined otherwise (also for a model without rules, whose filters are constant anyway).
 */
export function unchangedBy(ctx: AccessContext, model: Model, op: 'read' | 'post-update' | 'create', written: Iterable<string>): Filter | undefined {
  const rules = ctx.rules.resolved.models.get(model.name);
  if (!rules) return undefined;
  const reads = ruleColumns(ctx.info, rules, op);
  for (const column of written) if (reads.has(column)) return undefined;
  return ctx.rules.model(model.name, op);
}

function collect(info: ModelInfo, model: Model, cond: Cond, into: Set<string>): void {
  switch (cond.kind) {
    case 'const':
      return;
    case 'and':
    case 'or':
      for (const item of cond.items) collect(info, model, item, into);
      return;
    case 'compare':
      for (const operand of [cond.left, cond.right]) operandColumns(info, model, operand, into);
      return;
    case 'in':
      for (const operand of [cond.item, cond.list]) operandColumns(info, model, operand, into);
      return;
    case 'collection': {
      const first = cond.path[0] ?? cond.relation;
      hopColumns(info, model, first.name, into);
      return;
    }
  }
}

function operandColumns(info: ModelInfo, model: Model, operand: Operand, into: Set<string>): void {
  if (operand.kind === 'field') {
    if (operand.path.length) hopColumns(info, model, operand.path[0]!.name, into);
    else into.add(operand.field.name);
  } else if (operand.kind === 'relation') hopColumns(info, model, operand.path[0]!.name, into);
}

/** The columns of `model` that decide which row a relation hop reaches. */
function hopColumns(info: ModelInfo, model: Model, field: string, into: Set<string>): void {
  const relation = info.relation(model, field);
  if (!relation) return;
  const columns = relation.kind === 'owner' ? relation.from : relation.kind === 'inverse' ? relation.to : info.primaryKey(model);
  for (const column of columns) into.add(column);
}

/**
 * Rows of `model` whose `written` columns an update (or a nested connect, set or disconnect on
 * the other side of a relation) just changed, checked against `afterWriteRule` in one query.
 */
export async function requireAfterWrite(ctx: AccessContext, model: Model, rows: Row[], written: Iterable<string>): Promise<void> {
  const rule = afterWriteRule(ctx, model, written);
  if (!rule || rule.filter === true || !rows.length) return;
  const count = rule.filter === false ? 0 : await ctx.db[ctx.info.delegate(model)].count({ where: { AND: [ctx.info.keysIn(model, rows), rule.filter] } });
  if (count !== new Set(rows.map((r) => ctx.info.keyOf(model, r))).size) throw await deny(ctx, model.name, rule.op, { afterWrite: true });
}

/**
 * Rows on the other side of an inverse relation whose foreign key a nested connect, disconnect or
 * set just rewrote (`before`: all their columns, read before the write): each must pass the
 * after-write rule, and each changed one is recorded as an update.
 */
export async function rowsMoved(ctx: AccessContext, relation: RelationInfo, before: Row[]): Promise<void> {
  const { target } = relation;
  await requireAfterWrite(ctx, target, before, relation.from);
  if (!ctx.changes || !ctx.capture.tracks(target)) return;
  const after: Row[] = await ctx.db[ctx.info.delegate(target)].findMany({ where: ctx.info.keysIn(target, before), select: ctx.info.scalarSelect(target) });
  const byKey = new Map(after.map((row) => [ctx.info.keyOf(target, row), row]));
  const seen = new Set<string>();
  for (const row of before) {
    const key = ctx.info.keyOf(target, row);
    const now = byKey.get(key);
    if (!now || seen.has(key) || relation.from.every((f) => String(now[f]) === String(row[f]))) continue;
    seen.add(key);
    recordChange(ctx, target, 'updated', row, now);
  }
}
