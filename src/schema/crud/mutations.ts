import { delegateName, type Model } from '../../db/index.ts';
import { names } from '../names.ts';
import { listOf, type Kit } from './kit.ts';
import type { WriteMode } from './foreign-key-writes.ts';
import { withQuery } from './planned-queries.ts';
import type { Translator } from './translate.ts';
import { whereInput, whereUniqueInput } from './where.ts';
import { createInput, createManyInput, updateInput, updateManyInput } from './write-inputs.ts';

type Args = Record<string, unknown>;

/**
 * `createPost updatePost upsertPost deletePost` return the row (selected in the same query);
 * `createManyPosts updateManyPosts deleteManyPosts` return `{ count }`. Each is one Prisma call,
 * so nested writes commit or roll back together.
 */
export function registerModelMutations(kit: Kit, translate: Translator, model: Model, batchPayload: unknown): void {
  const delegate = delegateName(model);
  const unique = whereUniqueInput(kit, model);
  const where = (args: Args) => translate.where(model, args.where);
  const data = (value: unknown, mode: WriteMode = 'create') => translate.data(model, value, mode);

  kit.builder.mutationFields((t: any) => {
    const rowMutation = (args: Record<string, unknown>, run: (db: any, query: object, args: Args) => Promise<unknown>) =>
      t.prismaField({ type: model.name, args, ...withQuery((query: object, _root: unknown, a: Args, ctx: any) => run(ctx.db[delegate], query, a)) });
    const batchMutation = (args: Record<string, unknown>, run: (db: any, args: Args) => Promise<unknown>) =>
      t.field({ type: batchPayload, args, resolve: (_root: unknown, a: Args, ctx: any) => run(ctx.db[delegate], a) });
    const required = (type: unknown) => t.arg({ type, required: true });

    return {
      [names.create(model.name)]: rowMutation({ data: required(createInput(kit, model)) }, (db, query, a) =>
        db.create({ ...query, data: data(a.data) }),
      ),
      [names.update(model.name)]: rowMutation(
        { where: required(unique), data: required(updateInput(kit, model)) },
        (db, query, a) => db.update({ ...query, where: where(a), data: data(a.data, 'update') }),
      ),
      [names.upsert(model.name)]: rowMutation(
        { where: required(unique), create: required(createInput(kit, model)), update: required(updateInput(kit, model)) },
        (db, query, a) => db.upsert({ ...query, where: where(a), create: data(a.create), update: data(a.update, 'update') }),
      ),
      [names.delete(model.name)]: rowMutation({ where: required(unique) }, (db, query, a) =>
        db.delete({ ...query, where: where(a) }),
      ),
      [names.createMany(model.name)]: batchMutation(
        { data: t.arg({ ...listOf(createManyInput(kit, model)), required: true }) },
        (db, a) => db.createMany({ data: data(a.data) }),
      ),
      [names.updateMany(model.name)]: batchMutation(
        {
          where: t.arg({ type: whereInput(kit, model), required: true, description: 'Required; `{}` updates every row.' }),
          data: required(updateManyInput(kit, model)),
        },
        (db, a) => db.updateMany({ where: where(a), data: data(a.data, 'update') }),
      ),
      [names.deleteMany(model.name)]: batchMutation(
        { where: t.arg({ type: whereInput(kit, model), required: true, description: 'Required; `{}` deletes every row.' }) },
        (db, a) => db.deleteMany({ where: where(a) }),
      ),
    };
  });
}
