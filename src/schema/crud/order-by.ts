import { scalarFields, type Field, type Model } from '../../db/index.ts';
import { names } from '../names.ts';
import type { InputFieldMap, Kit } from './kit.ts';

const orderable = (field: Field) => !field.isList && field.type !== 'Json';
const sortType = (field: Field) => (field.isRequired ? 'SortOrder' : 'NullableSortOrder');

/** `PostOrderByInput`: scalar fields, to-one relations (nested), to-many relations by `_count`. */
export function orderByInput(kit: Kit, model: Model): unknown {
  return kit.defineInput(
    names.orderBy(model.name),
    (t) => {
      const fields: InputFieldMap = {};
      for (const field of model.fields) {
        if (field.kind !== 'object') {
          if (orderable(field)) fields[field.name] = t.field({ type: sortType(field) as never });
        } else if (field.isList) {
          fields[field.name] = t.field({ type: relationAggregateOrderBy(kit) as never });
        } else {
          fields[field.name] = t.field({ type: orderByInput(kit, kit.model(field.type)) as never });
        }
      }
      return fields;
    },
    'Give one field per list entry; entries apply in order.',
  );
}

function relationAggregateOrderBy(kit: Kit): unknown {
  return kit.defineInput('OrderByRelationAggregateInput', (t) => ({ _count: t.field({ type: 'SortOrder' as never }) }));
}

/** `PostOrderByWithAggregationInput`: groupBy ordering by a grouped field or an aggregate. */
export function orderByWithAggregationInput(kit: Kit, model: Model): unknown {
  const aggregate = kit.defineInput(names.aggregateOrderBy(model.name), (t) =>
    Object.fromEntries(
      scalarFields(model)
        .filter(orderable)
        .map((f) => [f.name, t.field({ type: 'SortOrder' as never })]),
    ),
  );
  return kit.defineInput(names.orderByWithAggregation(model.name), (t) => {
    const fields: InputFieldMap = {};
    for (const field of scalarFields(model).filter(orderable)) fields[field.name] = t.field({ type: sortType(field) as never });
    for (const op of ['_count', '_avg', '_sum', '_min', '_max']) fields[op] = t.field({ type: aggregate as never });
    return fields;
  });
}
