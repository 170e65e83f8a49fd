import type { Model } from '../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { deny } from './deny.ts';
import type { Row } from './model-info.ts';
import { plainValue } from './write-helpers.ts';

/**
 * Foreign keys written as plain columns (`postId: 7`) point at a row just like `connect` does, so
 * the viewer must be able to read that row (the IDOR check). `seen` skips repeats in a batch.
 */
export async function checkForeignKeys(ctx: AccessContext, model: Model, scalars: Row, seen = new Set<string>()): Promise<void> {
  for (const field of model.fields) {
    const relation = field.kind === 'object' ? ctx.info.relation(model, field.name) : undefined;
    if (relation?.kind !== 'owner' || !relation.from.every((f) => f in scalars)) continue;
    const values = relation.from.map((f) => plainValue(scalars[f]));
    if (values.some((v) => v == null)) continue;
    const read = ctx.rules.model(relation.target.name, 'read');
    const key = `${model.name}.${field.name}:${JSON.stringify(values.map(String))}`;
    if (read === true || seen.has(key)) continue;
    seen.add(key);
    const refs = Object.fromEntries(relation.to.map((t, i) => [t, values[i]]));
    const delegate = ctx.db[ctx.info.delegate(relation.target)];
    const select = ctx.info.keySelect(relation.target);
    if (read !== false && (await delegate.findFirst({ where: { AND: [refs, read] }, select }))) continue;
    const existing = await delegate.findFirst({ where: refs, select });
    // A missing row is left to the database's foreign-key error.
    if (existing) throw await deny(ctx, relation.target.name, 'read', { row: existing });
  }
}
