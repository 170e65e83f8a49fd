import { primaryKeyFields, type Model, type Provider } from '../../db/index.ts';
import { unsupportedOn } from './provider-filters.ts';

type Selection = Record<string, Record<string, true>>;
type Delegate = { aggregate(args: object): Promise<any>; findFirst(args: object): Promise<unknown> };

const minMax = ['_min', '_max'] as const;

/** The Boolean fields of `model` named under `_min`/`_max` in an aggregate selection. */
function booleanMinMax(model: Model, selection: Selection): [op: '_min' | '_max', field: string][] {
  const booleans = new Set(model.fields.filter((f) => f.kind === 'scalar' && f.type === 'Boolean').map((f) => f.name));
  return minMax.flatMap((op) => Object.keys(selection[op] ?? {}).filter((f) => booleans.has(f)).map((f) => [op, f] as [typeof op, string]));
}

/**
 * `postsAggregate { _min { published } }` on every provider. PostgreSQL has no min(boolean), so
 * there the Boolean ones are answered apart: the aggregate counts the field's non-null values
 * instead (so the access rules check the field as for any aggregate), then one `findFirst` per
 * field and operator asks whether a row with the deciding value (false for min, true for max)
 * exists among the rows `where` matches. Both go through `db`, the viewer's client.
 */
export async function aggregate(db: Delegate, model: Model, provider: Provider, where: unknown, selection: Selection): Promise<any> {
  const booleans = provider === 'postgresql' ? booleanMinMax(model, selection) : [];
  if (!booleans.length) return db.aggregate({ where, ...selection });
  const rest: Selection = { ...selection, _count: { ...selection._count } };
  for (const [op, field] of booleans) {
    const { [field]: _, ...others } = rest[op]!;
    if (Object.keys(others).length) rest[op] = others;
    else delete rest[op];
    rest._count![field] = true;
  }
  const key = Object.fromEntries(primaryKeyFields(model).map((f) => [f, true]));
  const result = await db.aggregate({ where, ...rest });
  const exists = (field: string, value: boolean) =>
    db.findFirst({ where: { AND: [where ?? {}, { [field]: { equals: value } }] }, select: key }).then(Boolean);
  const values = await Promise.all(
    booleans.map(async ([op, field]) => {
      if (!result._count[field]) return null;
      const deciding = op === '_max';
      return (await exists(field, deciding)) ? deciding : !deciding;
    }),
  );
  const out = { ...result, _count: selection._count ? Object.fromEntries(Object.keys(selection._count).map((f) => [f, result._count[f]])) : undefined };
  booleans.forEach(([op, field], i) => {
    out[op] = { ...out[op], [field]: values[i] };
  });
  return out;
}

/** groupBy cannot answer them apart per group on PostgreSQL: refused there, naming the provider. */
export function checkGroupBySelection(model: Model, provider: Provider, selection: Selection): void {
  if (provider !== 'postgresql') return;
  const [first] = booleanMinMax(model, selection);
  if (first) throw unsupportedOn(provider, `_min/_max of the Boolean field ${model.name}.${first[1]} per group`, 'use _count with a where on the field');
}
