import type { Model } from '../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { createRow } from './create-row.ts';
import { deny } from './deny.ts';
import { locateRow } from './locate-row.ts';
import type { Row } from './model-info.ts';
import { aggregateRows, findMethods, findRows, readBack } from './read-rows.ts';
import { deleteRow, updateRow } from './update-row.ts';
import { createManyRows, deleteManyRows, updateManyRows } from './write-many.ts';
import { toArray } from './write-helpers.ts';

type Args = Record<string, any>;
/** Runs `fn` in an interactive transaction (or the one already open), so a FORBIDDEN rolls back. */
export type InTransaction = <T>(fn: (ctx: AccessContext) => Promise<T>) => Promise<T>;

/**
 * A model delegate (`ctx.db.post`) with Prisma's methods and arguments, every one enforcing the
 * viewer's rules. Row mutations write and read back in one transaction: a mutation either returns
 * a row the viewer may read or fails having written nothing.
 */
export function createPolicyDelegate(ctx: AccessContext, model: Model, inTransaction: InTransaction): Record<string, (args?: Args) => Promise<unknown>> {
  const delegate: Record<string, (args?: Args) => Promise<unknown>> = {
    count: (args) => aggregateRows(ctx, model, 'count', args),
    aggregate: (args) => aggregateRows(ctx, model, 'aggregate', args),
    groupBy: (args) => aggregateRows(ctx, model, 'groupBy', args),

    create: (args = {}) => inTransaction(async (tx) => readBack(tx, model, await createRow(tx, model, args.data), args)),
    update: (args = {}) => inTransaction(async (tx) => readBack(tx, model, await updateRow(tx, model, args.where, args.data), args)),
    upsert: (args = {}) =>
      inTransaction(async (tx) => {
        const exists = await tx.db[tx.info.delegate(model)].findUnique({ where: args.where, select: tx.info.keySelect(model) });
        const row = exists ? await updateRow(tx, model, args.where, args.update) : await createRow(tx, model, args.create);
        return readBack(tx, model, row, args);
      }),
    delete: (args = {}) =>
      inTransaction(async (tx) => {
        const row = await locateRow(tx, model, args.where, 'delete');
        const result = await readBack(tx, model, row, args);
        await deleteRow(tx, model, tx.info.uniqueWhere(model, row));
        return result;
      }),

    createMany: (args = {}) => inTransaction((tx) => createManyRows(tx, model, toArray(args.data), args)),
    createManyAndReturn: (args = {}) =>
      inTransaction(async (tx) => readBackMany(tx, model, (await createManyRows(tx, model, toArray(args.data), { ...args, returnKeys: true })) as Row[], args)),
    updateMany: (args = {}) =>
      ctx.rules.model(model.name, 'post-update') === true ? updateManyRows(ctx, model, args.where, args.data) : inTransaction((tx) => updateManyRows(tx, model, args.where, args.data)),
    updateManyAndReturn: (args = {}) =>
      inTransaction(async (tx) => readBackMany(tx, model, (await updateManyRows(tx, model, args.where, args.data, { returnKeys: true })) as Row[], args)),
    deleteMany: (args = {}) => deleteManyRows(ctx, model, args.where),
  };
  for (const method of findMethods) delegate[method] = (args) => findRows(ctx, model, method, args);
  return delegate;
}

async function readBackMany(ctx: AccessContext, model: Model, rows: Row[], args: Args): Promise<unknown[]> {
  if (!rows.length) return [];
  const { select, include, omit } = args;
  const result = (await findRows(ctx, model, 'findMany', { where: ctx.info.keysIn(model, rows), select, include, omit })) as Row[];
  if (result.length !== rows.length) throw await deny(ctx, model.name, 'read');
  return result;
}
