import { delegateName, type Model } from '../../db/index.ts';
import { badInput } from '../../errors.ts';
import { names } from '../names.ts';
import { aggregateSelection } from './aggregates.ts';
import { aggregate, checkGroupBySelection } from './boolean-min-max.ts';
import { listOf, type Kit } from './kit.ts';
import { listArgs, toFindManyArgs, type ListArgs } from './list-args.ts';
import { withQuery } from './planned-queries.ts';
import { orderByInput, orderByWithAggregationInput } from './order-by.ts';
import type { Translator } from './translate.ts';
import { compoundKey, havingInput, whereInput, whereUniqueInput } from './where.ts';

type ConnectionArgs = ListArgs & { first?: number | null; last?: number | null };


/** `post`, `posts`, `postsConnection`, `postsCount`, `postsAggregate`, `postsGroupBy`. */
export function registerModelQueries(
  kit: Kit,
  translate: Translator,
  model: Model,
  types: { aggregate: unknown; groupBy: unknown },
): void {
  const delegate = delegateName(model);
  const where = whereInput(kit, model);
  const cursorKey = model.primaryKey ? compoundKey(model, model.primaryKey.fields) : model.fields.find((f) => f.isId)!.name;
  const idOrder = (model.primaryKey?.fields ?? [cursorKey]).map((f) => ({ [f]: 'asc' }));

  // Same rule as `take`: asking for more than the cap is an error, not a silently shorter page.
  const checkPageSize = (args: ConnectionArgs) => {
    for (const key of ['first', 'last'] as const) {
      const size = args[key];
      if (size != null && (size < 0 || size > kit.maxPageSize)) {
        throw badInput(`${key} must be between 0 and ${kit.maxPageSize}, got ${size}`, { argument: key });
      }
    }
    return true;
  };

  kit.builder.queryFields((t: any) => ({
    [names.single(model.name)]: t.prismaField({
      type: model.name,
      nullable: true,
      description: `One ${model.name} by a unique field, or null.`,
      args: { where: t.arg({ type: whereUniqueInput(kit, model), required: true }) },
      ...withQuery((query: object, _root: unknown, args: { where: unknown }, ctx: any) =>
        ctx.db[delegate].findUnique({ ...query, where: translate.where(model, args.where) }),
      ),
    }),

    [names.list(model.name)]: t.prismaField({
      type: [model.name],
      args: listArgs(kit, t, model),
      ...withQuery((query: object, _root: unknown, args: ListArgs, ctx: any) =>
        ctx.db[delegate].findMany({ ...query, ...toFindManyArgs(translate, model, args) }),
      ),
    }),

    [names.connection(model.name)]: t.prismaConnection({
      type: model.name,
      cursor: cursorKey,
      description: `Relay connection over ${model.name}; pages of at most ${kit.maxPageSize}.`,
      args: { where: t.arg({ type: where }), orderBy: t.arg(listOf(orderByInput(kit, model))) },
      totalCount: (_parent: unknown, args: ConnectionArgs, ctx: any) =>
        checkPageSize(args) && ctx.db[delegate].count({ where: translate.where(model, args.where) }),
      resolve: (query: object, _parent: unknown, args: ConnectionArgs, ctx: any) =>
        checkPageSize(args) && ctx.db[delegate].findMany({
          ...query,
          where: translate.where(model, args.where),
          // The id breaks ties so cursors stay stable under any ordering.
          orderBy: [...((translate.orderBy(model, args.orderBy) as object[]) ?? []), ...idOrder],
        }),
    }, { name: `${model.name}Connection` }, { name: `${model.name}Edge` }),

    [names.count(model.name)]: t.int({
      args: { where: t.arg({ type: where }) },
      resolve: (_root: unknown, args: ListArgs, ctx: any) =>
        ctx.db[delegate].count({ where: translate.where(model, args.where) }),
    }),

    [names.aggregate(model.name)]: t.field({
      type: types.aggregate,
      args: { where: t.arg({ type: where }) },
      resolve: (_root: unknown, args: ListArgs, ctx: any, info: any) =>
        aggregate(ctx.db[delegate], model, translate.provider, translate.where(model, args.where), aggregateSelection(info)),
    }),

    [names.groupBy(model.name)]: t.field({
      type: [types.groupBy],
      args: {
        by: t.arg({ type: [names.scalarFieldEnum(model.name)], required: true }),
        where: t.arg({ type: where }),
        having: t.arg({ type: havingInput(kit, model) }),
        orderBy: t.arg(listOf(orderByWithAggregationInput(kit, model))),
        skip: t.arg({ type: 'Int' }),
        take: t.arg({ type: 'Int' }),
      },
      resolve: (_root: unknown, args: ListArgs & { by: string[]; having?: unknown }, ctx: any, info: any) => {
        const orderBy = translate.orderBy(model, args.orderBy) as object[] | undefined;
        const selection = aggregateSelection(info);
        checkGroupBySelection(model, translate.provider, selection);
        return ctx.db[delegate].groupBy({
          by: args.by,
          where: translate.where(model, args.where),
          having: translate.where(model, args.having),
          // Prisma needs an order to page groups; grouping fields are a stable default.
          orderBy: orderBy?.length ? orderBy : args.by.map((f) => ({ [f]: 'asc' })),
          ...translate.page(args),
          ...selection,
        });
      },
    }),
  }));
}
