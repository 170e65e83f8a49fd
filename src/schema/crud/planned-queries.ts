import { queryFromInfo } from '@pothos/plugin-prisma';
import { isThenable } from '@pothos/core';
import { getNamedType, GraphQLObjectType, type FieldNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { readsOnlyColumns } from './direct-columns.ts';
import { deepFreeze } from '../../deep-freeze.ts';

type ResolveWithQuery = (query: object, root: unknown, args: any, ctx: any, info: GraphQLResolveInfo) => unknown;

const resolveWithQueryKey = 'cairnResolveWithQuery';

/**
 * A root `prismaField`'s options: its resolver, also kept in the field's extensions so that
 * `planColumnQueriesOnce` can call it with a query planned once per document.
 */
export const withQuery = (resolve: ResolveWithQuery) => ({ resolve, extensions: { [resolveWithQueryKey]: resolve } });

/**
 * plugin-prisma plans the query of a root field from its selection on every request (a walk of
 * the selection tree that records how each level was loaded, for the fields below). A selection
 * that reads only columns and has no directives plans the same query every time, and nothing
 * below it looks up how it was loaded (see direct-columns.ts), so the query is planned on its
 * first request and reused for that field node of the cached document. Anything else is planned
 * per request as before.
 */
export function planColumnQueriesOnce(schema: GraphQLSchema): void {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const resolveWith = field.extensions?.[resolveWithQueryKey] as ResolveWithQuery | undefined;
      const target = getNamedType(field.type);
      if (!resolveWith || !(target instanceof GraphQLObjectType)) continue;
      const plan = field.resolve!;
      const planned = new WeakMap<FieldNode, object | null>();
      field.resolve = (root, args, context, info) => {
        const node = info.fieldNodes[0]!;
        let query = planned.get(node);
        if (query === undefined) planned.set(node, (query = fixedQuery(target, context, info)));
        return query ? resolveWith(query, root, args, context, info) : plan(root, args, context, info);
      };
    }
  }
}

/** The query plugin-prisma plans for this field node, when it is the same on every request; else null. */
function fixedQuery(target: GraphQLObjectType, context: object, info: GraphQLResolveInfo): object | null {
  const node = info.fieldNodes[0]!;
  if (info.fieldNodes.length !== 1 || !node.selectionSet || !readsOnlyColumns(node.selectionSet, target, info.fragments, true)) return null;
  const query = queryFromInfo({ context, info, awaitSelections: true });
  // Shared across requests, so nothing downstream may change it (they copy; this makes sure).
  return isThenable(query) ? null : deepFreeze(query);
}
