import type { Model } from '../../db/index.ts';
import { names } from '../names.ts';
import { listOf, type Kit } from './kit.ts';
import { orderByInput } from './order-by.ts';
import type { Translator } from './translate.ts';
import { whereInput, whereUniqueInput } from './where.ts';

/** Arguments a list of `model` takes, at the top level and on relation fields alike. */
export function listArgs(kit: Kit, t: { arg: (options: any) => any }, model: Model) {
  return {
    where: t.arg({ type: whereInput(kit, model) }),
    orderBy: t.arg(listOf(orderByInput(kit, model))),
    cursor: t.arg({ type: whereUniqueInput(kit, model), description: 'Start the page at this row (keyset pagination).' }),
    skip: t.arg({ type: 'Int', description: 'Rows to skip (0 or more).' }),
    take: t.arg({
      type: 'Int',
      description: `Rows to return, at most ${kit.maxPageSize} (negative: from the end). Default ${kit.maxPageSize}.`,
    }),
    distinct: t.arg(listOf(names.scalarFieldEnum(model.name))),
  };
}

export interface ListArgs {
  where?: unknown;
  orderBy?: unknown;
  cursor?: unknown;
  skip?: number | null;
  take?: number | null;
  distinct?: string[] | null;
}

/** Prisma findMany arguments for `listArgs`, validated. */
export function toFindManyArgs(translate: Translator, model: Model, args: ListArgs) {
  return {
    where: translate.where(model, args.where),
    orderBy: translate.orderBy(model, args.orderBy),
    ...(args.cursor ? { cursor: translate.where(model, args.cursor) } : {}),
    ...(args.distinct ? { distinct: args.distinct } : {}),
    ...translate.page(args),
  };
}
