import type { Datamodel, Field, Model } from '../../db/index.ts';
import { compoundKey } from './where.ts';

type Data = Record<string, unknown>;
export type WriteMode = 'create' | 'update';

const isObject = (value: unknown): value is Data => value != null && typeof value === 'object' && !Array.isArray(value);

/**
 * One GraphQL create/update input stands for Prisma's two (relation objects: `post: { connect }`;
 * or raw foreign keys: `postId`), and Prisma rejects a write — or a list of sibling nested creates —
 * that mixes the two forms. Where a client mixed them, the foreign keys become the equivalent
 * relation operations (`connect`; `disconnect` for an update to null), so every input the schema
 * accepts works. Writes that use one form only pass through unchanged.
 */
export function createForeignKeyWrites(datamodel: Datamodel): (model: Model, data: unknown, mode: WriteMode) => unknown {
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const owning = new Map(datamodel.models.map((m) => [m.name, m.fields.filter((f) => f.relationFromFields?.length)]));

  const write = (model: Model, data: unknown, mode: WriteMode): unknown => {
    if (!isObject(data)) return data;
    const out: Data = {};
    for (const [key, value] of Object.entries(data)) {
      const field = model.fields.find((f) => f.name === key);
      out[key] = field?.kind === 'object' && isObject(value) ? nested(field, value) : value;
    }
    return uniform(model, [out], mode)[0];
  };

  const nested = (field: Field, ops: Data): Data => {
    const target = models.get(field.type)!;
    const out: Data = {};
    for (const [op, value] of Object.entries(ops)) {
      const items = Array.isArray(value) ? value : [value];
      const result =
        op === 'create'
          ? uniform(target, items.map((item) => write(target, item, 'create')), 'create')
          : items.map((item) => nestedItem(field, target, op, item));
      out[op] = Array.isArray(value) ? result : result[0];
    }
    return out;
  };

  // connect, set, disconnect and delete hold unique selectors only: they pass through.
  const nestedItem = (field: Field, target: Model, op: string, item: unknown): unknown => {
    if (!isObject(item)) return item;
    switch (op) {
      case 'connectOrCreate':
        return { ...item, create: write(target, item.create, 'create') };
      case 'upsert':
        return { ...item, create: write(target, item.create, 'create'), update: write(target, item.update, 'update') };
      case 'update':
        return field.isList ? { ...item, data: write(target, item.data, 'update') } : write(target, item, 'update');
      default:
        return item;
    }
  };

  // Sibling writes share one form: if any uses a relation object that holds a foreign key, all do.
  const uniform = (model: Model, items: unknown[], mode: WriteMode): unknown[] => {
    const relations = owning.get(model.name)!;
    if (!items.some((item) => isObject(item) && relations.some((r) => item[r.name] != null))) return items;
    return items.map((item) => (isObject(item) ? asRelations(relations, item, mode) : item));
  };

  const asRelations = (relations: Field[], data: Data, mode: WriteMode): Data => {
    const out = { ...data };
    for (const relation of relations) {
      const from = relation.relationFromFields!;
      if (out[relation.name] != null || !from.some((f) => f in out)) continue;
      const values = from.map((f) => out[f]);
      for (const f of from) delete out[f];
      if (values.some((v) => v == null)) {
        if (mode === 'update') out[relation.name] = { disconnect: true };
        continue;
      }
      const to = relation.relationToFields!;
      const key = to.length === 1 ? to[0]! : compoundKey(models.get(relation.type)!, to);
      out[relation.name] = { connect: { [key]: to.length === 1 ? values[0] : Object.fromEntries(to.map((f, i) => [f, values[i]])) } };
    }
    return out;
  };

  return write;
}
