import type { Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';
import { runInSavepoint, runInTransaction } from './change-capture.ts';
import { createRowAtOnce } from './create-at-once.ts';
import { createRow } from './create-row.ts';
import { deny } from './deny.ts';
import { locateRow } from './locate-row.ts';
import type { Row } from './model-info.ts';
import { aggregateRows, findRows, readBack, writeReturning } from './read-rows.ts';
import { deleteRow, updateRow, updateRowDirectly } from './update-row.ts';
import { afterWriteCheck, createManyRows, deleteManyRows, updateManyRows } from './write-many.ts';
import { columnsOf, toArray } from './write-helpers.ts';

type Args = Record<string, any>;

/**
 * A model delegate (`ctx.db.post`) with Prisma's methods and arguments, every one enforcing the
 * viewer's rules. Row mutations write and read back in one transaction (an update the rules can
 * settle in its WHERE is one statement): a mutation either returns a row the viewer may read or
 * fails having written nothing. A class, as one is made per model used per request.
 */
export class PolicyDelegate {
  private readonly ctx: AccessContext;
  private readonly model: Model;
  constructor(ctx: AccessContext, model: Model) {
    this.ctx = ctx;
    this.model = model;
  }

  findMany(args?: Args) {
    return findRows(this.ctx, this.model, 'findMany', args);
  }
  findFirst(args?: Args) {
    return findRows(this.ctx, this.model, 'findFirst', args);
  }
  findFirstOrThrow(args?: Args) {
    return findRows(this.ctx, this.model, 'findFirstOrThrow', args);
  }
  findUnique(args?: Args) {
    return findRows(this.ctx, this.model, 'findUnique', args);
  }
  findUniqueOrThrow(args?: Args) {
    return findRows(this.ctx, this.model, 'findUniqueOrThrow', args);
  }
  count(args?: Args) {
    return aggregateRows(this.ctx, this.model, 'count', args);
  }
  aggregate(args?: Args) {
    return aggregateRows(this.ctx, this.model, 'aggregate', args);
  }
  groupBy(args?: Args) {
    return aggregateRows(this.ctx, this.model, 'groupBy', args);
  }

  create(args: Args = {}) {
    const { model } = this;
    const inTransaction = () => this.#inTransaction((tx) => writeReturning(tx, model, args, args.data, (returning) => createRow(tx, model, args.data, undefined, returning)));
    // One Prisma create, nested creates and all, when the data settles every rule (createRowAtOnce says when).
    return this.#write(async () => (await createRowAtOnce(this.ctx, model, args)) ?? inTransaction());
  }
  update(args: Args = {}) {
    return this.#write(async () => {
      // Without a transaction when nothing can fail after the UPDATE (updateRowDirectly says when).
      const direct = await updateRowDirectly(this.ctx, this.model, args);
      return direct ?? this.#inTransaction((tx) => writeReturning(tx, this.model, args, args.data, (returning) => updateRow(tx, this.model, args.where, args.data, undefined, returning)));
    });
  }
  upsert(args: Args = {}) {
    const { model } = this;
    return this.#write(() => this.#inTransaction(async (tx) => {
      const exists = await tx.db[tx.info.delegate(model)].findUnique({ where: args.where, select: tx.info.keySelect(model) });
      const row = exists ? await updateRow(tx, model, args.where, args.update) : await createRow(tx, model, args.create);
      return readBack(tx, model, row, args);
    }));
  }
  delete(args: Args = {}) {
    const { model } = this;
    return this.#write(() => this.#inTransaction(async (tx) => {
      // The row found for the delete (with the rules) is the one returned, in the same query.
      let row: Row = {};
      const result = await writeReturning(tx, model, args, undefined, async (returning) => {
        const found = await locateRow(tx, model, args.where, 'delete', { select: returning });
        row = columnsOf(tx, model, found);
        return found;
      });
      await deleteRow(tx, model, tx.info.uniqueWhere(model, row), undefined, row);
      return result;
    }));
  }

  createMany(args: Args = {}) {
    return this.#write(() => this.#inTransaction((tx) => createManyRows(tx, this.model, toArray(args.data), args)));
  }
  createManyAndReturn(args: Args = {}) {
    return this.#write(() => this.#inTransaction(async (tx) =>
      readBackMany(tx, this.model, (await createManyRows(tx, this.model, toArray(args.data), { ...args, returnKeys: true })) as Row[], args),
    ));
  }
  updateMany(args: Args = {}) {
    return this.#write(() => {
      if (!afterWriteCheck(this.ctx, this.model, args.data ?? {}) && !this.ctx.capture.involves(this.model, 'update')) return updateManyRows(this.ctx, this.model, args.where, args.data);
      return this.#inTransaction((tx) => updateManyRows(tx, this.model, args.where, args.data));
    });
  }
  updateManyAndReturn(args: Args = {}) {
    return this.#write(() => this.#inTransaction(async (tx) =>
      readBackMany(tx, this.model, (await updateManyRows(tx, this.model, args.where, args.data, { returnKeys: true })) as Row[], args),
    ));
  }
  deleteMany(args: Args = {}) {
    return this.#write(() => {
      if (!this.ctx.capture.involves(this.model, 'delete')) return deleteManyRows(this.ctx, this.model, args.where);
      return this.#inTransaction((tx) => deleteManyRows(tx, this.model, args.where));
    });
  }

  /**
   * Every write method's entry, where a call comes from the caller's code and never from Cairn's
   * own nested writes (those run on the raw client): outside a transaction `fn` as it is (its own
   * transaction when it needs one); inside one (`$transaction`) in a savepoint, so a write that
   * fails half-way and is caught leaves none of its rows or change events in the transaction.
   */
  #write<T>(fn: () => Promise<T>): Promise<T> {
    return this.ctx.inTransaction ? runInSavepoint(this.ctx, fn) : fn();
  }

  /** Runs `fn` in an interactive transaction (or the one already open), so a FORBIDDEN rolls back and changes publish after COMMIT. */
  #inTransaction<T>(fn: (ctx: AccessContext) => Promise<T>): Promise<T> {
    return runInTransaction(this.ctx, fn);
  }
}

async function readBackMany(ctx: AccessContext, model: Model, rows: Row[], args: Args): Promise<unknown[]> {
  if (!rows.length) return [];
  const { select, include, omit } = args;
  const result = (await findRows(ctx, model, 'findMany', { where: ctx.info.keysIn(model, rows), select, include, omit })) as Row[];
  if (result.length !== rows.length) throw await deny(ctx, model.name, 'read');
  return result;
}
