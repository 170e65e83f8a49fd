import { primaryKeyFields, type Model } from '../../db/index.ts';
import { names } from '../names.ts';
import type { Kit } from './kit.ts';
import { listArgs, toFindManyArgs, type ListArgs } from './list-args.ts';
import type { Translator } from './translate.ts';
import { whereInput } from './where.ts';
import { overriddenField } from './field-types.ts';

/**
 * The object type of a model: every scalar field, every relation (lists take where/orderBy/
 * cursor/skip/take/distinct) and `<relation>Count` for to-many relations. Relations are loaded by
 * plugin-prisma inside the parent's query, so a selection tree costs one query per level at most.
 */
export function registerModelObject(kit: Kit, translate: Translator, model: Model): void {
  kit.builder.prismaObject(model.name as never, {
    description: model.documentation,
    // Select mode: a read loads the columns the query asks for (plugin-prisma adds every exposed
    // field and relation selected), plus the key and the columns the read rules decide on — not
    // every column of every row.
    select: Object.fromEntries([...primaryKeyFields(model), ...kit.access.readColumns(model.name)].map((f) => [f, true])),
    fields: (t: any) => {
      const fields: Record<string, any> = {};
      for (const field of model.fields) {
        if (field.kind !== 'object') {
          const override = kit.fieldTypes(model, field);
          if (override) {
            fields[field.name] = overriddenField(t, field, override, kit.access.mayHide(model.name, field.name));
            continue;
          }
          const type = kit.scalarType(field);
          fields[field.name] = t.expose(field.name, {
            type: field.isList ? [type] : type,
            nullable: !field.isRequired || kit.access.mayHide(model.name, field.name),
            description: field.documentation,
          });
          continue;
        }
        const target = kit.model(field.type);
        if (!field.isList) {
          // A related row the viewer may not read is null, so a required relation to such a model is nullable.
          fields[field.name] = t.relation(field.name, { nullable: !field.isRequired || kit.access.mayHide(target.name), description: field.documentation });
          continue;
        }
        fields[field.name] = t.relation(field.name, {
          description: field.documentation,
          args: listArgs(kit, t, target),
          query: (args: ListArgs) => toFindManyArgs(translate, target, args),
        });
        fields[names.relationCount(field.name)] = t.relationCount(field.name, {
          description: `How many ${field.name} match \`where\`.`,
          args: { where: t.arg({ type: whereInput(kit, target) }) },
          where: (args: { where?: unknown }) => translate.where(target, args.where) ?? {},
        });
      }
      return fields;
    },
  });
}
