import type * as DMMF from '@prisma/dmmf';
import type { Provider } from './provider.ts';

/** A model as Prisma's DMMF describes it (fields, primary key, unique indexes, `///` docs). */
export type Model = DMMF.Model;
export type Field = DMMF.Field;

/** What `cairn generate` extracts from schema.prisma: the input of every schema generator. */
export interface Datamodel {
  provider: Provider;
  models: Model[];
  /** `dbValues`: what the database stores for each value (differs where a value is `@map`ped). */
  enums: { name: string; values: string[]; dbValues?: string[]; documentation?: string }[];
}

/** `/// @hidden` on a model or field keeps it out of the GraphQL API (e.g. password hashes, sessions). */
export const isHidden = (element: { documentation?: string }) => /(^|\s)@hidden\b/m.test(element.documentation ?? '');

const isRelation = (field: Field) => field.kind === 'object';
const isScalarLike = (field: Field) => field.kind === 'scalar' || field.kind === 'enum';
export const scalarFields = (model: Model) => model.fields.filter(isScalarLike);
export const relationFields = (model: Model) => model.fields.filter(isRelation);

/** Scalar fields that hold a relation's foreign key on this side (e.g. Post.authorId). */
export function foreignKeyFields(model: Model): Set<string> {
  return new Set(relationFields(model).flatMap((f) => f.relationFromFields ?? []));
}

/** The relation field on `target` that is the other side of `field` (same relation name). */
export function oppositeRelation(datamodel: Datamodel, model: Model, field: Field): Field | undefined {
  const target = findModel(datamodel, field.type);
  return target.fields.find(
    (f) => f.relationName === field.relationName && !(target.name === model.name && f.name === field.name),
  );
}

/** The Prisma client property that holds a model's queries: `post` for Post, `blogPost` for BlogPost. */
export const delegateName = (model: Model) => model.name.charAt(0).toLowerCase() + model.name.slice(1);

export function findModel(datamodel: Datamodel, name: string): Model {
  const model = datamodel.models.find((m) => m.name === name);
  if (!model) throw new Error(`Unknown model "${name}"`);
  return model;
}

/** The primary key's fields (one, or a compound `@@id`). */
export const primaryKeyFields = (model: Model): string[] =>
  (model.primaryKey?.fields as string[] | undefined) ?? model.fields.filter((f) => f.isId).map((f) => f.name);

/** Field sets that identify one row: the id (single or compound) and every unique constraint. */
export function uniqueFieldSets(model: Model): string[][] {
  const sets: string[][] = [];
  if (model.primaryKey) sets.push(model.primaryKey.fields as string[]);
  for (const field of model.fields) if (field.isId || field.isUnique) sets.push([field.name]);
  for (const index of model.uniqueIndexes) sets.push(index.fields as string[]);
  return sets;
}
