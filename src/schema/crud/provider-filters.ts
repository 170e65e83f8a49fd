import type { Datamodel, Field, Model, Provider } from '../../db/index.ts';
import { badInput } from '../../errors.ts';

/** Rewrites one field's filter (in `where` or groupBy `having`) into what the provider's Prisma client takes. */
export type FieldFilter = (filter: unknown, field: string) => unknown;

const providerName: Record<Provider, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };

/** A coded refusal that names the provider, for what the one schema offers but this database cannot do. */
export const unsupportedOn = (provider: Provider, what: string, hint = '') =>
  badInput(`${what} is not supported on ${providerName[provider]}${hint ? `; ${hint}` : ''}`, { provider });

const isObject = (value: unknown): value is Record<string, unknown> => value != null && typeof value === 'object' && !Array.isArray(value);

// Operators that compare whole values; SQLite's `=`/`<` are case-sensitive and Prisma has no
// case-insensitive form of them there (contains/startsWith/endsWith use LIKE, which is not).
const wholeValueOps = ['equals', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte'];

/**
 * The schema is the same on every provider (one SDL whatever `DATABASE_URL` says); the
 * differences live here, per field type, as rewrites or coded errors naming the provider:
 * - `mode` on SQLite: dropped where LIKE already ignores ASCII case (contains/startsWith/endsWith);
 *   refused with a whole-value operator (Prisma has no case-insensitive `=` on SQLite).
 * - Json `path` is a key list everywhere; SQLite takes it as a JSON path (`$.tags[0]`).
 * - Json `array_contains` does not exist in Prisma's SQLite client: refused there.
 * - `_min`/`_max` of a Boolean in `having`: PostgreSQL has no min(boolean): refused there.
 * - Json `equals: null` / `not: null` mean the database NULL (Prisma's `DbNull`) on both.
 */
export function createFieldFilters(datamodel: Datamodel, dbNull: unknown): Map<string, Map<string, FieldFilter>> {
  const provider = datamodel.provider;
  const byType: Record<string, FieldFilter | undefined> = {
    Json: jsonFilter(provider, dbNull),
    String: stringFilter(provider),
    Boolean: provider === 'postgresql' ? postgresBooleanFilter : undefined,
  };
  const filterOf = (field: Field) => (field.kind === 'scalar' && !field.isList ? byType[field.type] : undefined);
  return new Map(
    datamodel.models.map((model: Model) => [
      model.name,
      new Map(model.fields.flatMap((f) => (filterOf(f) ? [[f.name, filterOf(f)!] as const] : []))),
    ]),
  );
}

/**
 * Prisma takes `mode` beside the operators only; the schema's `not` (and a having's `_min`/`_max`)
 * is a StringFilter too, so a `mode` given inside `not` moves out beside it (where Prisma applies
 * it to `not` as well). A `_min`/`_max` keeps its own mode: Prisma applies none to them on
 * PostgreSQL, so `insensitive` there is refused; SQLite's LIKE ignores ASCII case anyway.
 */
function stringFilter(provider: Provider): FieldFilter {
  const self = (filter: unknown, field: string, aggregate = false): unknown => {
    if (!isObject(filter)) return filter;
    const { mode: own, ...out } = filter;
    let mode = own;
    const levels: Record<string, unknown>[] = [out];
    for (let level = out; isObject(level.not); ) {
      const { mode: inner, ...not } = level.not;
      if (inner != null && mode != null && inner !== mode) throw badInput(`${field}: the mode inside not (${inner}) contradicts the mode beside it (${mode})`);
      mode ??= inner;
      level.not = not;
      level = not;
      levels.push(not);
    }
    for (const op of ['_min', '_max']) if (out[op] != null) out[op] = self(out[op], field, true);
    if (mode !== 'insensitive') return provider === 'postgresql' && mode != null && !aggregate ? { ...out, mode } : out;
    if (provider === 'sqlite') {
      const op = wholeValueOps.find((o) => levels.some((l) => l[o] != null));
      if (op) throw unsupportedOn(provider, `mode: insensitive with ${op} (on ${field})`, 'use contains, startsWith or endsWith, which ignore ASCII case there');
      return out;
    }
    if (aggregate) throw unsupportedOn(provider, `mode: insensitive inside _min/_max (on ${field})`);
    return { ...out, mode };
  };
  return (filter, field) => self(filter, field);
}

function postgresBooleanFilter(filter: unknown, field: string): unknown {
  if (isObject(filter) && (filter._min != null || filter._max != null)) {
    throw unsupportedOn('postgresql', `_min/_max of the Boolean field ${field} in having`, 'filter on _count with a where on the field instead');
  }
  return filter;
}

function jsonFilter(provider: Provider, dbNull: unknown): FieldFilter {
  return (filter, field) => {
    if (!isObject(filter)) return filter;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(filter)) {
      if (value === null && (key === 'equals' || key === 'not')) out[key] = dbNull;
      else if (key === 'path' && provider === 'sqlite' && Array.isArray(value)) out[key] = sqliteJsonPath(value as string[]);
      else out[key] = value;
    }
    if (provider === 'sqlite' && filter.array_contains !== undefined) {
      throw unsupportedOn('sqlite', `array_contains (on ${field})`, 'use array_starts_with, array_ends_with or equals with a path');
    }
    return out;
  };
}

/** `["tags", "0", "a.b"]` → `$."tags"[0]."a.b"`: digit strings index arrays, other keys are quoted. */
export function sqliteJsonPath(keys: readonly string[]): string {
  const step = (key: string) => {
    if (/^\d+$/.test(key)) return `[${key}]`;
    // SQLite's JSON path has no escape for a quote inside a quoted key.
    if (key.includes('"')) throw badInput(`A JSON path key cannot contain '"' on SQLite, got ${JSON.stringify(key)}`, { provider: 'sqlite' });
    return `."${key}"`;
  };
  return `$${keys.map(step).join('')}`;
}
