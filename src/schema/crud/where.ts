import { scalarFields, uniqueFieldSets, type Field, type Model } from '../../db/index.ts';
import { names } from '../names.ts';
import { listOf, type InputFieldMap, type InputFields, type Kit } from './kit.ts';
import { scalarFilter, scalarListFilter, withAggregatesFilter } from './scalar-filters.ts';

/** `PostWhereInput`: every scalar filter, relation filters (`is/isNot`, `some/every/none`), AND/OR/NOT. */
export function whereInput(kit: Kit, model: Model): unknown {
  const name = names.where(model.name);
  return kit.defineInput(name, (t) => {
    const fields: InputFieldMap = booleanCombinators(kit, t, name);
    for (const field of model.fields) {
      if (field.kind === 'object') fields[field.name] = t.field({ type: relationFilter(kit, field) as never });
      else if (field.isList) fields[field.name] = t.field({ type: scalarListFilter(kit, kit.scalarType(field)) as never });
      else fields[field.name] = t.field({ type: scalarFilter(kit, kit.scalarType(field), field.kind === 'enum') as never });
    }
    return fields;
  });
}

function relationFilter(kit: Kit, field: Field): unknown {
  const target = kit.model(field.type);
  if (field.isList) {
    return kit.defineInput(names.listRelationFilter(target.name), (t) => ({
      some: t.field({ type: whereInput(kit, target) as never }),
      every: t.field({ type: whereInput(kit, target) as never }),
      none: t.field({ type: whereInput(kit, target) as never }),
    }));
  }
  return kit.defineInput(names.relationFilter(target.name), (t) => ({
    is: t.field({ type: whereInput(kit, target) as never }),
    isNot: t.field({ type: whereInput(kit, target) as never }),
  }));
}

/** `PostScalarWhereWithAggregatesInput`: the groupBy `having` filter. */
export function havingInput(kit: Kit, model: Model): unknown {
  const name = names.scalarWhereWithAggregates(model.name);
  return kit.defineInput(name, (t) => {
    const fields: InputFieldMap = booleanCombinators(kit, t, name);
    for (const field of scalarFields(model)) {
      if (field.isList) continue;
      fields[field.name] = t.field({
        type: withAggregatesFilter(kit, kit.scalarType(field), field.kind === 'enum') as never,
      });
    }
    return fields;
  });
}

function booleanCombinators(kit: Kit, t: InputFields, self: string): InputFieldMap {
  return {
    AND: t.field(listOf(kit.input(self))),
    OR: t.field(listOf(kit.input(self))),
    NOT: t.field(listOf(kit.input(self))),
  };
}

/**
 * `PostWhereUniqueInput`: the id, every @unique field, and every compound id/unique as
 * `a_b: { a, b }` (Prisma's naming). Give exactly one of them.
 */
export function whereUniqueInput(kit: Kit, model: Model): unknown {
  return kit.defineInput(
    names.whereUnique(model.name),
    (t) => {
      const fields: InputFieldMap = {};
      const byName = new Map(model.fields.map((f) => [f.name, f]));
      for (const set of uniqueFieldSets(model)) {
        if (set.length === 1) {
          fields[set[0]!] = t.field({ type: kit.scalarType(byName.get(set[0]!)!) as never });
          continue;
        }
        const key = compoundKey(model, set);
        fields[key] = t.field({
          type: kit.defineInput(names.compoundUnique(model.name, set), (c) =>
            Object.fromEntries(
              set.map((f) => [f, c.field({ type: kit.scalarType(byName.get(f)!) as never, required: true })]),
            ),
          ) as never,
        });
      }
      return fields;
    },
    `Identifies one ${model.name}: give exactly one of these fields.`,
  );
}

/** Prisma's key for a compound id or unique: its `name:` argument, or the fields joined by `_`. */
export function compoundKey(model: Model, fields: readonly string[]): string {
  const named = [model.primaryKey, ...model.uniqueIndexes].find(
    (index) => index && index.fields.join() === fields.join() && index.name,
  );
  return named?.name ?? fields.join('_');
}
