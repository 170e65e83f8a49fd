import { scalarFields, type Datamodel, type Field } from '../db/index.ts';

/** `/// @writable` on a field opens it to create/update inputs although Cairn would generate it. */
const isWritable = (field: Field) => /(^|\s)@writable\b/m.test(field.documentation ?? '');

// Defaults that generate a key: a client that picks ids itself could guess or collide with others.
const generatedIdDefaults = new Set(['autoincrement', 'uuid', 'cuid', 'nanoid', 'ulid', 'dbgenerated']);

const defaultName = (field: Field) => {
  const value = (field as { default?: unknown }).default;
  return value && typeof value === 'object' && 'name' in value ? String((value as { name: unknown }).name) : undefined;
};

/** Why Cairn writes `field` itself, or undefined when clients write it. */
export function generatedBy(field: Field): string | undefined {
  if (field.isUpdatedAt) return '@updatedAt';
  const name = defaultName(field);
  if (field.isId && name && generatedIdDefaults.has(name)) return `@default(${name}())`;
  if (name === 'now') return '@default(now())';
  return undefined;
}

/**
 * Fields the database or Prisma fills in and clients do not write: generated single-field ids
 * (autoincrement, uuid, cuid, nanoid, ulid, dbgenerated), `@updatedAt` and `@default(now())`
 * timestamps — unless annotated `/// @writable`. Ids without a default (chosen by the client)
 * and composite ids stay writable. Reads the full datamodel: annotations are still in it.
 */
export function generatedFields(datamodel: Datamodel): Map<string, Set<string>> {
  return new Map(
    datamodel.models.map((model) => [
      model.name,
      new Set(scalarFields(model).filter((f) => generatedBy(f) && !isWritable(f)).map((f) => f.name)),
    ]),
  );
}
