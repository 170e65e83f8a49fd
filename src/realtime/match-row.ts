import type { Filter, ModelInfo, RelationInfo, Row, Where } from '../access/index.ts';
import type { DbClient, Model, Provider } from '../db/index.ts';
import { encodeMessage } from '../events/index.ts';
import { createRelatedRows, type ProbeCache } from './related-rows.ts';
import { compoundMatches, scalarMatches, UNDECIDED } from './scalar-match.ts';

/**
 * Decides Prisma `where` filters (compiled rules, a subscriber's `where`) against a row image a
 * change event carries, without a query where the row's own columns decide. Relation conditions
 * are asked of the database once per event for every subscriber together (related-rows.ts): the
 * row a to-one relation points to is loaded once when its columns are needed, and per-viewer
 * conditions on to-many relations (`members: { some: { userId } }`) share one statement.
 */
export interface RowMatcher {
  matches(model: Model, filter: Filter | Where | undefined, row: Row, probes: ProbeCache): Promise<boolean>;
}

export type { ProbeCache };

export function createRowMatcher(db: DbClient, info: ModelInfo, provider: Provider): RowMatcher {
  const related = createRelatedRows(db, info, provider);
  // Rows known only by their key (the target of a to-one relation): the rest of their columns
  // are loaded when a condition needs them, once per event.
  const partial = new WeakMap<Row, { model: Model; unique: Where }>();
  const exists = (model: Model, where: Where, probes: ProbeCache): Promise<boolean> => {
    const id = `${model.name}:${encodeMessage(where)}`;
    let answer = probes.get(id);
    if (!answer) {
      const delegate = (db as any)[info.delegate(model)];
      answer = delegate.findFirst({ where, select: info.keySelect(model) }).then((found: unknown) => found !== null);
      probes.set(id, answer!);
    }
    return answer!;
  };
  /** `row` with `columns` present: a partial row's full image (null: the row is gone). */
  const withColumns = async (row: Row, columns: readonly string[], probes: ProbeCache): Promise<Row | null> => {
    const known = partial.get(row);
    if (!known || columns.every((c) => c in row)) return row;
    return related.row(known.model, known.unique, probes);
  };

  /**
   * `target` row named by `unique` (a to-one relation's foreign key) matches `inner`: decided on
   * the key alone where it can be, on the row's columns (one load per event) where needed. As
   * `findFirst({ where: { AND: [unique, inner] } })` would, a row that does not exist matches nothing.
   */
  const targetMatches = async (target: Model, unique: Where, inner: Where, probes: ProbeCache): Promise<boolean> => {
    const row: Row = { ...unique };
    partial.set(row, { model: target, unique });
    if (!(await matchWhere(target, inner, row, probes))) return false;
    return related.known(target, unique, probes) || (await related.row(target, unique, probes)) !== null;
  };

  const relationMatches = async (model: Model, relation: RelationInfo, value: unknown, given: Row, probes: ProbeCache): Promise<boolean> => {
    const target = relation.target;
    const needs = relation.kind === 'owner' ? relation.from : relation.kind === 'inverse' ? relation.to : info.primaryKey(model);
    const row = await withColumns(given, needs, probes);
    if (!row) return false;
    const link = linkOf(info, model, relation, row);
    const some = async (inner: unknown) => {
      if (!link) return false;
      const hit = await related.some(target, link, (inner ?? {}) as Where, probes);
      // A row found through a foreign key to `row` proves `row` exists, as the database enforces
      // the key (Prisma's default relationMode; under `relationMode = "prisma"` a dangling row
      // could make a deleted parent look present).
      const known = partial.get(row);
      if (hit && known) related.exists(known.model, known.unique, probes);
      return hit;
    };
    if (!relation.field.isList) {
      const present = relation.kind === 'owner' ? (inner: unknown) => (link ? targetMatches(target, link, (inner ?? {}) as Where, probes) : Promise.resolve(false)) : some;
      if (value === null) return !(await present({}));
      const ops = value as Where;
      const keys = Object.keys(ops);
      if (!keys.length || !keys.every((k) => k === 'is' || k === 'isNot')) return present(ops);
      for (const [op, inner] of Object.entries(ops)) {
        const hit = inner === null ? !(await present({})) : await present(inner);
        if ((op === 'is') !== hit) return false;
      }
      return true;
    }
    for (const [op, inner] of Object.entries(value as Where)) {
      const hit =
        op === 'some' ? await some(inner) : op === 'none' ? !(await some(inner)) : op === 'every' ? !(await some({ NOT: inner ?? {} })) : undefined;
      if (hit === undefined) throw new Error(`Unsupported relation filter "${op}" on ${model.name}.${relation.field.name}`);
      if (!hit) return false;
    }
    return true;
  };

  const matchWhere = async (model: Model, where: Where, row: Row, probes: ProbeCache): Promise<boolean> => {
    const deferred: [string, unknown][] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === 'AND') {
        for (const item of Array.isArray(value) ? value : [value]) if (!(await matchWhere(model, item, row, probes))) return false;
        continue;
      }
      if (key === 'OR') {
        let any = false;
        for (const item of value as Where[]) if ((any = await matchWhere(model, item, row, probes))) break;
        if (!any) return false;
        continue;
      }
      if (key === 'NOT') {
        for (const item of Array.isArray(value) ? value : [value]) if (await matchWhere(model, item, row, probes)) return false;
        continue;
      }
      const relation = info.relation(model, key);
      if (relation) {
        // Columns first: a cheap false saves the query.
        deferred.push([key, value]);
        continue;
      }
      const verdict = info.scalarNames(model).has(key) ? scalarMatches(model, key, value, row, provider) : compoundMatches(model, value, row, provider);
      if (verdict === UNDECIDED) {
        deferred.push([key, value]);
        continue;
      }
      if (!verdict) return false;
    }
    for (const [key, value] of deferred) {
      const relation = info.relation(model, key);
      if (relation) {
        if (!(await relationMatches(model, relation, value, row, probes))) return false;
        continue;
      }
      // A column a partial row does not have: the row's columns, loaded once for every subscriber.
      const full = partial.has(row) ? await related.row(partial.get(row)!.model, partial.get(row)!.unique, probes) : row;
      if (!full) return false;
      const verdict = full === row ? UNDECIDED : info.scalarNames(model).has(key) ? scalarMatches(model, key, value, full, provider) : compoundMatches(model, value, full, provider);
      // The database decides what JavaScript cannot (JSON paths, lists, collations): ask it about this row.
      const hit = verdict === UNDECIDED ? await exists(model, { AND: [info.keyFilter(model, full), { [key]: value }] }, probes) : verdict;
      if (!hit) return false;
    }
    return true;
  };

  return {
    async matches(model, filter, row, probes) {
      if (filter === undefined || filter === true) return true;
      if (filter === false) return false;
      return matchWhere(model, filter, row, probes);
    },
  };
}

/** The related rows of `row` through `relation`, as a where on the target model (null: there are none). */
export function linkOf(info: ModelInfo, model: Model, relation: RelationInfo, row: Row): Where | null {
  if (relation.kind === 'owner') {
    const values = relation.from.map((f) => row[f]);
    if (values.some((v) => v === null || v === undefined)) return null;
    return Object.fromEntries(relation.to.map((f, i) => [f, values[i]]));
  }
  if (relation.kind === 'inverse') return Object.fromEntries(relation.from.map((f, i) => [f, row[relation.to[i]!]]));
  return { [relation.opposite.name]: { some: info.keyFilter(model, row) } };
}
