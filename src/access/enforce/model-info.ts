import { delegateName, findModel, oppositeRelation, primaryKeyFields, type Datamodel, type Field, type Model } from '../../db/index.ts';
import type { Where } from '../rules/index.ts';

export type Row = Record<string, any>;

/**
 * How a relation field is stored: `owner` holds the foreign key (Post.author), `inverse` is the
 * other side of one (User.posts, User.profile), `m2m` an implicit many-to-many (Post.tags).
 */
export interface RelationInfo {
  field: Field;
  target: Model;
  opposite: Field;
  kind: 'owner' | 'inverse' | 'm2m';
  /** Foreign-key fields on the owner side and the fields they reference. */
  from: string[];
  to: string[];
}

/** Datamodel lookups the enforcing client needs, computed once per policy. */
export interface ModelInfo {
  datamodel: Datamodel;
  model(name: string): Model;
  /** Prisma's client property: `post` for Post. */
  delegate(model: Model): string;
  primaryKey(model: Model): string[];
  relation(model: Model, field: string): RelationInfo | undefined;
  scalarNames(model: Model): Set<string>;
  /** `{ a_b: { a, b } }` / `{ id }`: the row as a unique where. */
  uniqueWhere(model: Model, row: Row): Where;
  /** `{ a, b }`: the row's key as a plain filter. */
  keyFilter(model: Model, row: Row): Where;
  /** Rows by key: `{ id: { in } }`, or an OR of compound keys. */
  keysIn(model: Model, rows: Row[]): Where;
  keySelect(model: Model): Record<string, true>;
  scalarSelect(model: Model): Record<string, true>;
  /** A string identifying the row's key, for sets and maps. */
  keyOf(model: Model, row: Row): string;
}

export function createModelInfo(datamodel: Datamodel): ModelInfo {
  const keys = new Map<string, string[]>();
  const relations = new Map<string, RelationInfo | undefined>();
  const scalars = new Map<string, Set<string>>();
  const primaryKey = (model: Model) => {
    let key = keys.get(model.name);
    if (!key) keys.set(model.name, (key = primaryKeyFields(model)));
    return key;
  };
  const compoundName = (model: Model, fields: string[]) => model.primaryKey?.name ?? fields.join('_');
  const info: ModelInfo = {
    datamodel,
    model: (name) => findModel(datamodel, name),
    delegate: delegateName,
    primaryKey,
    relation(model, name) {
      const id = `${model.name}.${name}`;
      if (!relations.has(id)) {
        const field = model.fields.find((f) => f.name === name && f.kind === 'object');
        relations.set(id, field && describeRelation(datamodel, model, field));
      }
      return relations.get(id);
    },
    scalarNames(model) {
      let set = scalars.get(model.name);
      if (!set) scalars.set(model.name, (set = new Set(model.fields.filter((f) => f.kind !== 'object').map((f) => f.name))));
      return set;
    },
    uniqueWhere(model, row) {
      const key = primaryKey(model);
      if (key.length === 1) return { [key[0]!]: row[key[0]!] };
      return { [compoundName(model, key)]: Object.fromEntries(key.map((f) => [f, row[f]])) };
    },
    keyFilter: (model, row) => Object.fromEntries(primaryKey(model).map((f) => [f, row[f]])),
    keysIn(model, rows) {
      const key = primaryKey(model);
      if (key.length === 1) return { [key[0]!]: { in: [...new Map(rows.map((r) => [String(r[key[0]!]), r[key[0]!]])).values()] } };
      return { OR: rows.map((r) => info.keyFilter(model, r)) };
    },
    keySelect: (model) => Object.fromEntries(primaryKey(model).map((f) => [f, true])),
    scalarSelect: (model) => Object.fromEntries([...info.scalarNames(model)].map((f) => [f, true])),
    keyOf: (model, row) => JSON.stringify(primaryKey(model).map((f) => String(row[f]))),
  };
  return info;
}

function describeRelation(datamodel: Datamodel, model: Model, field: Field): RelationInfo {
  const target = findModel(datamodel, field.type);
  const opposite = oppositeRelation(datamodel, model, field)!;
  if (field.relationFromFields?.length) {
    return { field, target, opposite, kind: 'owner', from: [...field.relationFromFields], to: [...(field.relationToFields ?? [])] };
  }
  if (opposite.relationFromFields?.length) {
    return { field, target, opposite, kind: 'inverse', from: [...opposite.relationFromFields], to: [...(opposite.relationToFields ?? [])] };
  }
  return { field, target, opposite, kind: 'm2m', from: [], to: [] };
}
