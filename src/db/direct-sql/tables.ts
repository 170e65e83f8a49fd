import type { ArgType } from '@prisma/driver-adapter-utils';
import { primaryKeyFields, type Datamodel, type Field, type Model } from '../datamodel.ts';

/** A relation as SQL joins it: `[field here, field there]` pairs and the related model. */
export interface Join {
  target: Model;
  pairs: [Field, Field][];
}

/** What SQL needs of the datamodel: table and column names, key sets, joins and value types. */
export interface Tables {
  table(model: Model): string;
  column(field: Field): string;
  field(model: Model, name: string): Field | undefined;
  /** The fields of a compound key's Prisma name (`authorId_slug`), if it is one. */
  compoundKey(model: Model, name: string): string[] | undefined;
  /** Whether `where` names a unique key at its top level (as findUnique requires). */
  hasUniqueKey(model: Model, where: Record<string, unknown>): boolean;
  relation(model: Model, field: Field): Join | undefined;
  /** The parameter type of a field's values, or undefined when it is not compiled here. */
  argType(field: Field): ArgType | undefined;
  /** Whether the field's column is read here (filters and writes need `argType` too): those with an argType, and JSON. */
  readable(field: Field): boolean;
  /** Whether `value` is a value Prisma takes for the field (else Prisma is left to refuse it). */
  accepts(field: Field, value: unknown): boolean;
  /** Turns a column's value as the driver adapter returns it into Prisma's result value. */
  fromColumn(field: Field): (value: unknown) => unknown;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const argTypes: Record<string, ArgType['scalarType']> = {
  Int: 'int',
  BigInt: 'bigint',
  Float: 'float',
  Boolean: 'boolean',
  String: 'string',
  DateTime: 'datetime',
};

const identity = (value: unknown) => value;
const toDate = (value: unknown) => (value == null ? value : new Date(value as string));
const toBigInt = (value: unknown) => (value == null ? value : BigInt(value as string));
// The adapter returns JSON columns as their text, which Prisma's client parses (a JSON null reads as null).
const toJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** `schema` is the PostgreSQL schema the tables live in (the URL's `?schema=`, else public). */
export function createTables(datamodel: Datamodel, schema = 'public'): Tables {
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const fields = new Map(datamodel.models.map((m) => [m.name, new Map(m.fields.map((f) => [f.name, f]))]));
  // An enum whose values are @map'ped stores other strings than Prisma returns: not compiled here.
  const plainEnums = new Map(
    datamodel.enums.filter((e) => e.dbValues && e.dbValues.every((v, i) => v === e.values[i])).map((e) => [e.name, new Set(e.values)]),
  );
  const joins = new Map<string, Join | undefined>();

  const keySets = (model: Model) => {
    const sets = new Map<string, string[]>();
    if (model.primaryKey) sets.set(model.primaryKey.name ?? model.primaryKey.fields.join('_'), [...model.primaryKey.fields]);
    for (const index of model.uniqueIndexes) sets.set(index.name ?? index.fields.join('_'), [...index.fields]);
    return sets;
  };
  const compound = new Map(datamodel.models.map((m) => [m.name, keySets(m)]));

  // `@db.Date`, `@db.Time`… come back in other formats than a timestamp: left to Prisma.
  const defaultTimestamp = (field: Field) => !field.nativeType || field.nativeType[0] === 'Timestamp';

  const argType = (field: Field): ArgType | undefined => {
    if (field.isList) return undefined;
    if (field.kind === 'enum') return plainEnums.has(field.type) ? { scalarType: 'enum', arity: 'scalar' } : undefined;
    if (field.type === 'DateTime' && !defaultTimestamp(field)) return undefined;
    const scalarType = argTypes[field.type];
    return scalarType && { scalarType, arity: 'scalar' };
  };

  return {
    table: (model) => `${quote((model as Model & { schema?: string | null }).schema ?? schema)}.${quote(model.dbName ?? model.name)}`,
    column: (field) => quote(field.dbName ?? field.name),
    field: (model, name) => fields.get(model.name)!.get(name),
    compoundKey: (model, name) => compound.get(model.name)!.get(name),
    hasUniqueKey(model, where) {
      return Object.keys(where).some((key) => {
        const field = fields.get(model.name)!.get(key);
        return field ? field.isId || field.isUnique : compound.get(model.name)!.has(key);
      });
    },
    relation(model, field) {
      const id = `${model.name}.${field.name}`;
      if (!joins.has(id)) joins.set(id, join(models, fields, model, field));
      return joins.get(id);
    },
    argType,
    readable(field) {
      return !!argType(field) || (field.type === 'Json' && !field.isList);
    },
    accepts(field, value) {
      switch (field.kind === 'enum' ? 'enum' : field.type) {
        case 'enum':
          return typeof value === 'string' && plainEnums.get(field.type)!.has(value);
        case 'Int':
          return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31;
        case 'BigInt':
          return typeof value === 'bigint' || Number.isSafeInteger(value);
        case 'Float':
          return typeof value === 'number' && Number.isFinite(value);
        case 'Boolean':
          return typeof value === 'boolean';
        case 'String':
          return typeof value === 'string' && !value.includes('\0');
        case 'DateTime':
          return value instanceof Date ? !Number.isNaN(value.getTime()) : typeof value === 'string' && !Number.isNaN(Date.parse(value));
        default:
          return false;
      }
    },
    fromColumn: (field) => (field.type === 'DateTime' ? toDate : field.type === 'BigInt' ? toBigInt : field.type === 'Json' ? toJson : identity),
  };
}

function join(models: Map<string, Model>, fields: Map<string, Map<string, Field>>, model: Model, field: Field): Join | undefined {
  const target = models.get(field.type)!;
  const own = fields.get(model.name)!;
  const theirs = fields.get(target.name)!;
  if (field.relationFromFields?.length) {
    const to = field.relationToFields?.length ? field.relationToFields : primaryKeyFields(target);
    return { target, pairs: field.relationFromFields.map((f, i) => [own.get(f)!, theirs.get(to[i]!)!]) };
  }
  const opposite = target.fields.find((f) => f.relationName === field.relationName && f !== field && f.kind === 'object');
  if (!opposite?.relationFromFields?.length) return undefined; // implicit many-to-many
  const to = opposite.relationToFields?.length ? opposite.relationToFields : primaryKeyFields(model);
  return { target, pairs: opposite.relationFromFields.map((f, i) => [own.get(to[i]!)!, theirs.get(f)!]) };
}
