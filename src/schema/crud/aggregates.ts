import type { GraphQLResolveInfo } from 'graphql';
import { scalarFields, type Field, type Model } from '../../db/index.ts';
import { names } from '../names.ts';
import type { Kit } from './kit.ts';
import { selectedFields } from './selection.ts';

const numeric = new Set(['Int', 'Float', 'Decimal', 'BigInt']);
const avgType: Record<string, string> = { Int: 'Float', Float: 'Float', BigInt: 'Float', Decimal: 'Decimal' };
export const aggregateOps = ['_count', '_sum', '_avg', '_min', '_max'] as const;

/** Which fields each aggregate covers; an aggregate with no fields is left out of the schema. */
export function aggregateFields(model: Model): Record<(typeof aggregateOps)[number], Field[]> {
  const scalars = scalarFields(model);
  const numbers = scalars.filter((f) => !f.isList && numeric.has(f.type));
  // Prisma's types allow _min/_max of Bytes, but at run time it fails on both providers; offering
  // it would only produce errors. Boolean is offered everywhere (PostgreSQL's is computed apart,
  // see boolean-min-max.ts). The provider never changes the schema: one SDL for every database.
  const incomparable = new Set(['Json', 'Bytes']);
  const comparable = scalars.filter((f) => !f.isList && !incomparable.has(f.type));
  return { _count: scalars, _sum: numbers, _avg: numbers, _min: comparable, _max: comparable };
}

/** `PostAggregate` (and the per-aggregate types it holds) for `postsAggregate` and `postsGroupBy`. */
export function registerAggregateTypes(kit: Kit, model: Model): { aggregate: unknown; groupBy: unknown } {
  const fields = aggregateFields(model);
  const typeOf = {
    _count: () => 'Int',
    _sum: (f: Field) => kit.scalarType(f),
    _avg: (f: Field) => avgType[f.type]!,
    _min: (f: Field) => kit.scalarType(f),
    _max: (f: Field) => kit.scalarType(f),
  };
  const typeName = {
    _count: names.countAggregate,
    _sum: names.sumAggregate,
    _avg: names.avgAggregate,
    _min: names.minAggregate,
    _max: names.maxAggregate,
  };
  const refs = new Map<string, unknown>();
  for (const op of aggregateOps) {
    if (!fields[op].length) continue;
    refs.set(
      op,
      kit.builder.objectRef<Record<string, unknown>>(typeName[op](model.name)).implement({
        fields: (t: any) => ({
          ...(op === '_count' ? { _all: t.int({ resolve: (p: any) => p._all }) } : {}),
          ...Object.fromEntries(
            fields[op].map((f) => [
              f.name,
              t.field({ type: typeOf[op](f), nullable: op !== '_count', resolve: (p: any) => p[f.name] }),
            ]),
          ),
        }),
      }),
    );
  }
  const aggregateFieldsOf = (t: any) =>
    Object.fromEntries(
      [...refs].map(([op, ref]) => [op, t.field({ type: ref, nullable: op !== '_count', resolve: (p: any) => p[op] })]),
    );
  const aggregate = kit.builder.objectRef<Record<string, unknown>>(names.aggregateType(model.name)).implement({
    fields: (t: any) => aggregateFieldsOf(t),
  });
  const groupBy = kit.builder.objectRef<Record<string, unknown>>(names.groupByType(model.name)).implement({
    description: 'One group: the grouped fields (those named in `by`; others are null) and aggregates over the group.',
    fields: (t: any) => ({
      ...Object.fromEntries(
        scalarFields(model).map((f) => {
          const type = kit.scalarType(f);
          return [f.name, t.field({ type: f.isList ? [type] : type, nullable: true, resolve: (p: any) => p[f.name] })];
        }),
      ),
      ...aggregateFieldsOf(t),
    }),
  });
  return { aggregate, groupBy };
}

/** Prisma aggregate selection (`{ _count: { _all: true }, _sum: { views: true } }`) for what was selected. */
export function aggregateSelection(info: GraphQLResolveInfo): Record<string, Record<string, true>> {
  const selection: Record<string, Record<string, true>> = {};
  for (const [op, children] of selectedFields(info)) {
    if (!(aggregateOps as readonly string[]).includes(op)) continue;
    const fields = [...children].filter((c) => c !== '__typename');
    if (fields.length) selection[op] = Object.fromEntries(fields.map((f) => [f, true]));
  }
  return selection;
}
