import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { notFound } from '../../errors.ts';
import type { Row } from './model-info.ts';
import { queryRows } from './query-rows.ts';
import { plainValue } from './write-helpers.ts';

/**
 * Foreign keys written as plain columns (`postId: 7`) point at a row just like `connect` does, so
 * the viewer must be able to read that row (the IDOR check): one it may not read is NOT_FOUND,
 * as a missing one. `seen` skips repeats in a batch.
 */
export async function checkForeignKeys(ctx: AccessContext, model: Model, scalars: Row, seen = new Set<string>()): Promise<void> {
  for (const field of model.fields) {
    const relation = field.kind === 'object' ? ctx.info.relation(model, field.name) : undefined;
    if (relation?.kind !== 'owner' || !relation.from.every((f) => f in scalars)) continue;
    const values = relation.from.map((f) => plainValue(scalars[f]));
    if (values.some((v) => v == null)) continue;
    const read = ctx.rules.model(relation.target.name, 'read');
    const key = `${model.name}.${field.name}:${JSON.stringify(values.map(String))}`;
    // A target everyone may read hides nothing: a missing one is left to the database's foreign-key error.
    if (read === true || seen.has(key)) continue;
    seen.add(key);
    const refs = Object.fromEntries(relation.to.map((t, i) => [t, values[i]]));
    if (read !== false && (await queryRows(ctx, relation.target, 'findFirst', { where: { AND: [refs, read] }, select: ctx.info.keySelect(relation.target) }))) continue;
    throw notFound(`No ${relation.target.name} matches ${model.name}.${relation.from.join(', ')}`, { model: relation.target.name });
  }
}
