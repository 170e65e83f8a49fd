import { directSqlOf, type Model } from '../../db/index.ts';
import type { AccessContext } from './access-context.ts';

export type FindMethod = 'findMany' | 'findFirst' | 'findFirstOrThrow' | 'findUnique' | 'findUniqueOrThrow';

/**
 * A find with its rules already in `args`: one SQL statement on the driver adapter where the
 * direct SQL compiles it (db/direct-sql/; PostgreSQL outside transactions), else Prisma's.
 */
export function queryRows(ctx: AccessContext, model: Model, method: FindMethod, args: Record<string, any>): Promise<any> {
  const direct = method === 'findMany' || method === 'findFirst' || method === 'findUnique' ? directSqlOf(ctx.db)?.find(model, method, args) : undefined;
  return direct ?? ctx.db[ctx.info.delegate(model)][method](args);
}
