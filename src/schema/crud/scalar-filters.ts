import { names } from '../names.ts';
import { listOf, type InputFields, type Kit } from './kit.ts';

const comparable = new Set(['Int', 'Float', 'Decimal', 'BigInt', 'DateTime', 'String']);
const numeric = new Set(['Int', 'Float', 'Decimal', 'BigInt']);

/** `StringFilter`, `IntFilter`, `RoleFilter`…: Prisma's operators for one scalar or enum type. */
export function scalarFilter(kit: Kit, type: string, isEnum = false): unknown {
  if (type === 'JSON') return jsonFilter(kit);
  return kit.defineInput(names.scalarFilter(type), (t) => filterFields(kit, t, type, isEnum, names.scalarFilter(type)));
}

/** `IntWithAggregatesFilter`: a scalar filter plus filters on its aggregates (for groupBy `having`). */
export function withAggregatesFilter(kit: Kit, type: string, isEnum = false): unknown {
  const name = names.withAggregatesFilter(type);
  return kit.defineInput(name, (t) => {
    const own: Record<string, any> = type === 'JSON' ? {} : filterFields(kit, t, type, isEnum, name);
    const same = type === 'JSON' ? null : scalarFilter(kit, type, isEnum);
    return {
      ...own,
      _count: t.field({ type: scalarFilter(kit, 'Int') as never }),
      // No database here compares bytes by min/max (see aggregateFields).
      ...(same && type !== 'Bytes'
        ? { _min: t.field({ type: same as never }), _max: t.field({ type: same as never }) }
        : {}),
      ...(numeric.has(type) && {
        _avg: t.field({ type: scalarFilter(kit, type === 'Decimal' ? 'Decimal' : 'Float') as never }),
        _sum: t.field({ type: same as never }),
      }),
    };
  });
}

/** `StringListFilter`: operators on a scalar list (PostgreSQL). */
export function scalarListFilter(kit: Kit, type: string): unknown {
  return kit.defineInput(names.scalarListFilter(type), (t) => ({
    equals: t.field(listOf(type)),
    has: t.field({ type: type as never }),
    hasEvery: t.field(listOf(type)),
    hasSome: t.field(listOf(type)),
    isEmpty: t.boolean(),
  }));
}

function filterFields(kit: Kit, t: InputFields, type: string, isEnum: boolean, self: string) {
  const scalar = { type: type as never };
  const fields: Record<string, any> = {
    equals: t.field(scalar),
    not: t.field({ type: kit.input(self) }),
  };
  if (type !== 'Boolean') {
    fields.in = t.field(listOf(type));
    fields.notIn = t.field(listOf(type));
  }
  if (comparable.has(type) && !isEnum) {
    for (const op of ['lt', 'lte', 'gt', 'gte']) fields[op] = t.field(scalar);
  }
  if (type === 'String') {
    for (const op of ['contains', 'startsWith', 'endsWith']) fields[op] = t.string();
    fields.mode = t.field({ type: 'QueryMode' as never });
  }
  return fields;
}

function jsonFilter(kit: Kit): unknown {
  return kit.defineInput(
    'JsonFilter',
    (t) => ({
      equals: t.field({ type: 'JSON' as never }),
      not: t.field({ type: 'JSON' as never }),
      path: t.field({
        ...listOf('String'),
        description: 'Keys (and array indexes, as digit strings) leading to the value the other operators test, e.g. `["tags", "0"]`.',
      }),
      string_contains: t.string(),
      string_starts_with: t.string(),
      string_ends_with: t.string(),
      array_contains: t.field({ type: 'JSON' as never, description: 'PostgreSQL only: SQLite answers BAD_USER_INPUT.' }),
      array_starts_with: t.field({ type: 'JSON' as never }),
      array_ends_with: t.field({ type: 'JSON' as never }),
    }),
    'Filters a JSON field; `equals: null` matches a database NULL.',
  );
}
