import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { and, type Filter, narrow, or, toWhere, type Where } from '../rules/index.ts';

const combinators = new Set(['AND', 'OR', 'NOT']);

/**
 * A caller's filter made unable to observe what the viewer may not read: relation filters only
 * see related rows the viewer may read (`some`/`every`/`none`/`is`/`isNot`), and conditions on a
 * field with a read rule only hold on rows where the viewer may read that field. So neither a
 * filter nor its negation can tell a hidden value or row apart from an absent one. Unique keys
 * stay at the top, so the result still works as a `findUnique` where.
 */
export function rewriteWhere(ctx: AccessContext, model: Model, where: unknown): Where | undefined {
  if (where == null || typeof where !== 'object') return where as undefined;
  const out: Where = {};
  const guards: Filter[] = [];
  for (const [key, value] of Object.entries(where as Where)) {
    if (combinators.has(key)) {
      out[key] = Array.isArray(value) ? value.map((v) => rewriteWhere(ctx, model, v)) : rewriteWhere(ctx, model, value);
      continue;
    }
    const relation = ctx.info.relation(model, key);
    if (relation) {
      if (relation.field.isList) out[key] = listFilter(ctx, relation.target, value);
      else {
        const [first, ...more] = oneFilter(ctx, relation.target, value);
        out[key] = first;
        guards.push(...more.map((f) => ({ [key]: f })));
      }
      continue;
    }
    out[key] = value;
    // A compound unique key (`followerId_followingId: { … }`) filters on each of its fields.
    const fields = ctx.info.scalarNames(model).has(key) ? [key] : value && typeof value === 'object' ? Object.keys(value) : [];
    for (const field of fields) if (ctx.info.scalarNames(model).has(field)) guards.push(ctx.rules.field(model.name, field, 'read'));
  }
  return narrow(model, out, ...guards);
}

function listFilter(ctx: AccessContext, target: Model, value: unknown): unknown {
  if (value == null || typeof value !== 'object') return value;
  const read = ctx.rules.model(target.name, 'read');
  const out: Where = {};
  for (const [op, inner] of Object.entries(value as Where)) {
    const rewritten = rewriteWhere(ctx, target, inner) ?? {};
    if (op === 'every') out.every = toWhere(or(ctx.rules.modelDenied(target.name, 'read'), rewritten), target);
    else if (op === 'some' || op === 'none') out[op] = toWhere(and(rewritten, read), target);
    else out[op] = inner;
  }
  return out;
}

/** One or more `is`/`isNot` filters for a to-one relation; several are AND-ed by the caller. */
function oneFilter(ctx: AccessContext, target: Model, value: unknown): unknown[] {
  const read = ctx.rules.model(target.name, 'read');
  const visible = (inner: unknown) => toWhere(and(rewriteWhere(ctx, target, inner) ?? {}, read), target);
  // `is: null` means no related row the viewer may read; `isNot: null` means one it may read.
  const isNull = (): unknown => (read === true ? { is: null } : { isNot: toWhere(read, target) });
  const notNull = (): unknown => (read === true ? { isNot: null } : { is: toWhere(read, target) });
  if (value === null) return [isNull()];
  if (typeof value !== 'object') return [value];
  const entries = Object.entries(value as Where);
  if (!entries.length || !entries.every(([k]) => k === 'is' || k === 'isNot')) return [{ is: visible(value) }];
  return entries.map(([op, inner]) =>
    op === 'is' ? (inner === null ? isNull() : { is: visible(inner) }) : inner === null ? notNull() : { isNot: visible(inner) },
  );
}
