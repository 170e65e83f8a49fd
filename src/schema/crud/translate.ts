import type { Datamodel, Model } from '../../db/index.ts';
import { badInput } from '../../errors.ts';
import { createForeignKeyWrites, type WriteMode } from './foreign-key-writes.ts';
import { createFieldFilters, type FieldFilter } from './provider-filters.ts';

/**
 * GraphQL arguments mirror Prisma's, so most pass through untouched. The exceptions live here:
 * sort orders with `_nulls_` suffixes, page-size limits, and JSON nulls (GraphQL has one `null`,
 * Prisma needs to be told whether it means SQL NULL).
 */
export interface Translator {
  /** The database the client talks to: the schema is the same on all, a few answers are not. */
  provider: Datamodel['provider'];
  orderBy(model: Model, orderBy: unknown): unknown;
  where(model: Model, where: unknown): unknown;
  /** Create or update `data` (nested writes included) as Prisma takes it. @default mode "create" */
  data(model: Model, data: unknown, mode?: WriteMode): unknown;
  /** Validates `take`/`skip` and applies the default page size. */
  page(args: { take?: number | null; skip?: number | null }): { take: number; skip?: number };
}

// Keys whose value has the same model's shape: boolean combinators and nested-write wrappers
// such as `update: [{ where, data }]` or `upsert: { create, update }`.
const sameModelKeys = new Set(['AND', 'OR', 'NOT', 'where', 'data', 'create', 'update']);

export function createTranslator(datamodel: Datamodel, maxPageSize: number, dbNull: unknown): Translator {
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const jsonFields = new Map(datamodel.models.map((m) => [m.name, new Set(m.fields.filter((f) => f.type === 'Json').map((f) => f.name))]));
  const relations = new Map(
    datamodel.models.map((m) => [m.name, new Map(m.fields.filter((f) => f.kind === 'object').map((f) => [f.name, models.get(f.type)!]))]),
  );
  const nullable = new Map(datamodel.models.map((m) => [m.name, new Set(m.fields.filter((f) => !f.isRequired).map((f) => f.name))]));
  // Only models that can reach a JSON field through their inputs need walking at all.
  const needsJsonWalk = reachable(datamodel, (m) => jsonFields.get(m.name)!.size > 0);
  const fieldFilters = createFieldFilters(datamodel, dbNull);
  const needsFilterWalk = reachable(datamodel, (m) => fieldFilters.get(m.name)!.size > 0);
  const foreignKeyWrites = createForeignKeyWrites(datamodel);

  const sort = (value: string, isNullable: boolean) => {
    const [order, , nulls] = value.split('_');
    return nulls && isNullable ? { sort: order, nulls } : order;
  };

  const orderByEntry = (model: Model, entry: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (value == null) continue;
      const target = relations.get(model.name)!.get(key);
      if (typeof value === 'string') out[key] = sort(value, nullable.get(model.name)!.has(key));
      else if (target && !('_count' in (value as object))) out[key] = orderByEntry(target, value as Record<string, unknown>);
      else out[key] = value;
    }
    return out;
  };

  /** Rewrites the fields `onField` knows of, in `model` and every related model reached through `value`. */
  interface Walk {
    needs: Set<string>;
    onField(model: Model, field: string): ((v: unknown, field: string) => unknown) | undefined;
  }
  const walk = (model: Model, value: unknown, w: Walk): unknown => {
    if (!w.needs.has(model.name) || value == null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => walk(model, v, w));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const target = relations.get(model.name)!.get(key);
      const onField = w.onField(model, key);
      if (onField) out[key] = onField(v, `${model.name}.${key}`);
      else if (target) out[key] = walkNested(target, v, w);
      else if (sameModelKeys.has(key)) out[key] = walk(model, v, w);
      else out[key] = v;
    }
    return out;
  };
  // Nested operations (create, where, data, some, is…) hold the target model's shape one level down.
  const walkNested = (target: Model, ops: unknown, w: Walk): unknown => {
    if (ops == null || typeof ops !== 'object') return ops;
    return Object.fromEntries(
      Object.entries(ops).map(([op, v]) => [op, Array.isArray(v) ? v.map((i) => walk(target, i, w)) : walk(target, v, w)]),
    );
  };
  const jsonNull = (v: unknown) => (v === null ? dbNull : v);
  const dataWalk: Walk = { needs: needsJsonWalk, onField: (m, f) => (jsonFields.get(m.name)!.has(f) ? jsonNull : undefined) };
  const filterWalk: Walk = { needs: needsFilterWalk, onField: (m, f): FieldFilter | undefined => fieldFilters.get(m.name)!.get(f) };

  return {
    provider: datamodel.provider,
    orderBy: (model, orderBy) =>
      orderBy == null ? undefined : (orderBy as Record<string, unknown>[]).map((e) => orderByEntry(model, e)),
    where: (model, where) => (where == null ? undefined : walk(model, where, filterWalk)),
    data: (model, data, mode = 'create') => walk(model, foreignKeyWrites(model, data, mode), dataWalk),
    page({ take, skip }) {
      if (take != null && Math.abs(take) > maxPageSize) {
        throw badInput(`take must be between -${maxPageSize} and ${maxPageSize}, got ${take}`, { argument: 'take' });
      }
      if (skip != null && skip < 0) throw badInput(`skip must be 0 or more, got ${skip}`, { argument: 'skip' });
      return { take: take ?? maxPageSize, ...(skip ? { skip } : {}) };
    },
  };
}

/** Models from which some model matching `predicate` is reachable through relations (including itself). */
function reachable(datamodel: Datamodel, predicate: (m: Model) => boolean): Set<string> {
  const result = new Set(datamodel.models.filter(predicate).map((m) => m.name));
  for (let changed = true; changed; ) {
    changed = false;
    for (const model of datamodel.models) {
      if (!result.has(model.name) && model.fields.some((f) => f.kind === 'object' && result.has(f.type))) {
        result.add(model.name);
        changed = true;
      }
    }
  }
  return result;
}
