import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import type { Row } from './model-info.ts';
import type { Check, ReadPlan } from './plan-read.ts';
import { queryRows } from './query-rows.ts';

/**
 * Nulls out, in place, what the query could not filter: to-one related rows and field values the
 * viewer may not read. A rule the row's own columns decide costs nothing; the rest take one query
 * per relation (or ruled field) per level of the tree, for all rows at once — never one per row.
 */
export async function applyReadPlan(ctx: AccessContext, plan: ReadPlan | undefined, result: Row | Row[] | null): Promise<void> {
  if (!plan || result == null) return;
  const rows = (Array.isArray(result) ? result : [result]).filter((r) => r != null);
  if (!rows.length) return;
  await Promise.all([
    ...plan.fields.map(async (check) => {
      const allowed = await allowedRows(ctx, plan.model, rows, check);
      for (const row of rows) if (!allowed.has(row)) row[check.name] = null;
    }),
    ...plan.toOne.map(async (check) => {
      const related = rows.map((r) => r[check.name]).filter((r) => r != null);
      const allowed = await allowedRows(ctx, check.target, related, check);
      for (const row of rows) if (row[check.name] != null && !allowed.has(row[check.name])) row[check.name] = null;
      await applyReadPlan(ctx, check.plan, rows.map((r) => r[check.name]).filter((r) => r != null));
    }),
    ...plan.toMany.map(({ name, plan: inner }) => applyReadPlan(ctx, inner, rows.flatMap((r) => r[name] ?? []))),
  ]);
}

async function allowedRows(ctx: AccessContext, model: Model, rows: Row[], { rule, decide }: Check): Promise<Set<Row>> {
  if (rule === false || !rows.length) return new Set();
  if (rule === true) return new Set(rows);
  const allowed = new Set<Row>();
  const undecided: Row[] = [];
  for (const row of rows) {
    const verdict = decide(row);
    if (verdict === true) allowed.add(row);
    else if (verdict === undefined) undecided.push(row);
  }
  if (!undecided.length) return allowed;
  const found: Row[] = await queryRows(ctx, model, 'findMany', {
    where: { AND: [ctx.info.keysIn(model, undecided), rule] },
    select: ctx.info.keySelect(model),
  });
  const keys = new Set(found.map((r) => ctx.info.keyOf(model, r)));
  for (const row of undecided) if (keys.has(ctx.info.keyOf(model, row))) allowed.add(row);
  return allowed;
}
