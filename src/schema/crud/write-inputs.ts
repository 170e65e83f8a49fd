import { foreignKeyFields, oppositeRelation, scalarFields, type Field, type Model } from '../../db/index.ts';
import { names } from '../names.ts';
import { listOf, type InputFieldMap, type InputFields, type Kit } from './kit.ts';
import { whereUniqueInput } from './where.ts';

/**
 * Create and update inputs, mirroring Prisma's: a relation field takes nested operations
 * (`create connect connectOrCreate` on create; plus `update upsert disconnect delete set` on update),
 * and the input used inside a nested write leaves out the relation it came through ("Without").
 * Foreign-key scalars (`authorId`) are accepted too; use either them or the relation field.
 */
export function createInput(kit: Kit, model: Model, without?: Field): unknown {
  const name = without ? names.createWithout(model.name, without.name) : names.createInput(model.name);
  return kit.defineInput(name, (t) => ({
    ...scalarInputs(kit, t, model, without, 'create'),
    ...relationInputs(kit, t, model, without, (field, opposite) =>
      field.isList ? createNestedMany(kit, field, opposite) : createNestedOne(kit, field, opposite),
    ),
  }));
}

export function updateInput(kit: Kit, model: Model, without?: Field): unknown {
  const name = without ? names.updateWithout(model.name, without.name) : names.updateInput(model.name);
  return kit.defineInput(name, (t) => ({
    ...scalarInputs(kit, t, model, without, 'update'),
    ...relationInputs(kit, t, model, without, (field, opposite) =>
      field.isList ? updateNestedMany(kit, field, opposite) : updateNestedOne(kit, field, opposite),
    ),
  }));
}

/** `PostCreateManyInput`: scalar fields only, foreign keys included (Prisma's createMany shape). */
export function createManyInput(kit: Kit, model: Model): unknown {
  return kit.defineInput(names.createManyInput(model.name), (t) => scalarInputs(kit, t, model, undefined, 'createMany'));
}

/** `PostUpdateManyInput`: scalar fields only. */
export function updateManyInput(kit: Kit, model: Model): unknown {
  return kit.defineInput(names.updateManyInput(model.name), (t) => scalarInputs(kit, t, model, undefined, 'update'));
}

function scalarInputs(kit: Kit, t: InputFields, model: Model, without: Field | undefined, mode: 'create' | 'createMany' | 'update') {
  const foreignKeys = foreignKeyFields(model);
  const excluded = new Set(without?.relationFromFields ?? []);
  const fields: InputFieldMap = {};
  for (const field of scalarFields(model)) {
    if (excluded.has(field.name) || kit.access.readOnly(model.name, field.name)) continue;
    const optionalOnCreate = field.hasDefaultValue || field.isUpdatedAt || !field.isRequired || field.isList;
    // With relation objects available, a foreign key may be set through them instead.
    const required = mode !== 'update' && !optionalOnCreate && (mode === 'createMany' || !foreignKeys.has(field.name));
    const override = kit.fieldTypes(model, field);
    if (override) {
      // The extension names the column, so whoever handles the input type's values knows which field they are for.
      const extensions = { cairnColumn: `${model.name}.${field.name}` };
      fields[field.name] = override.list ? t.field({ ...listOf(override.input), extensions }) : t.field({ type: override.input as never, extensions });
      continue;
    }
    const type = kit.scalarType(field);
    fields[field.name] = field.isList ? t.field(listOf(type)) : t.field({ type: type as never, required });
  }
  return fields;
}

function relationInputs(
  kit: Kit,
  t: InputFields,
  model: Model,
  without: Field | undefined,
  nested: (field: Field, opposite: Field) => unknown,
) {
  const fields: InputFieldMap = {};
  for (const field of model.fields) {
    if (field.kind !== 'object' || field.name === without?.name) continue;
    const opposite = oppositeRelation(kit.datamodel, model, field)!;
    fields[field.name] = t.field({ type: nested(field, opposite) as never });
  }
  return fields;
}

const target = (kit: Kit, field: Field) => kit.model(field.type);

function connectOrCreate(kit: Kit, field: Field, opposite: Field) {
  const model = target(kit, field);
  return kit.defineInput(names.connectOrCreate(model.name, opposite.name), (t) => ({
    where: t.field({ type: whereUniqueInput(kit, model) as never, required: true }),
    create: t.field({ type: createInput(kit, model, opposite) as never, required: true }),
  }));
}

function createNestedOne(kit: Kit, field: Field, opposite: Field) {
  const model = target(kit, field);
  return kit.defineInput(names.createNestedOne(model.name, opposite.name), (t) => ({
    create: t.field({ type: createInput(kit, model, opposite) as never }),
    connect: t.field({ type: whereUniqueInput(kit, model) as never }),
    connectOrCreate: t.field({ type: connectOrCreate(kit, field, opposite) as never }),
  }));
}

function createNestedMany(kit: Kit, field: Field, opposite: Field) {
  const model = target(kit, field);
  return kit.defineInput(names.createNestedMany(model.name, opposite.name), (t) => ({
    create: t.field(listOf(createInput(kit, model, opposite))),
    connect: t.field(listOf(whereUniqueInput(kit, model))),
    connectOrCreate: t.field(listOf(connectOrCreate(kit, field, opposite))),
  }));
}

function updateNestedOne(kit: Kit, field: Field, opposite: Field) {
  const model = target(kit, field);
  const name = names.updateNestedOne(model.name, opposite.name).replace('UpdateOne', field.isRequired ? 'UpdateOneRequired' : 'UpdateOne');
  return kit.defineInput(name, (t) => ({
    create: t.field({ type: createInput(kit, model, opposite) as never }),
    connect: t.field({ type: whereUniqueInput(kit, model) as never }),
    connectOrCreate: t.field({ type: connectOrCreate(kit, field, opposite) as never }),
    update: t.field({ type: updateInput(kit, model, opposite) as never }),
    upsert: t.field({
      type: kit.defineInput(names.upsertNestedOne(model.name, opposite.name), (u) => ({
        create: u.field({ type: createInput(kit, model, opposite) as never, required: true }),
        update: u.field({ type: updateInput(kit, model, opposite) as never, required: true }),
      })) as never,
    }),
    // A required relation can be replaced but never left empty.
    ...(field.isRequired ? {} : { disconnect: t.boolean(), delete: t.boolean() }),
  }));
}

function updateNestedMany(kit: Kit, field: Field, opposite: Field) {
  const model = target(kit, field);
  const unique = whereUniqueInput(kit, model);
  return kit.defineInput(names.updateNestedMany(model.name, opposite.name), (t) => ({
    create: t.field(listOf(createInput(kit, model, opposite))),
    connect: t.field(listOf(unique)),
    connectOrCreate: t.field(listOf(connectOrCreate(kit, field, opposite))),
    set: t.field(listOf(unique)),
    disconnect: t.field(listOf(unique)),
    delete: t.field(listOf(unique)),
    update: t.field(
      listOf(
        kit.defineInput(names.updateNestedManyItem(model.name, opposite.name), (u) => ({
          where: u.field({ type: unique as never, required: true }),
          data: u.field({ type: updateInput(kit, model, opposite) as never, required: true }),
        })),
      ),
    ),
    upsert: t.field(
      listOf(
        kit.defineInput(names.upsertNestedMany(model.name, opposite.name), (u) => ({
          where: u.field({ type: unique as never, required: true }),
          create: u.field({ type: createInput(kit, model, opposite) as never, required: true }),
          update: u.field({ type: updateInput(kit, model, opposite) as never, required: true }),
        })),
      ),
    ),
  }));
}
