import { isHidden, type Datamodel, type Field, type Model } from '../db/index.ts';

/** `///` lines that start with `@` are annotations for Cairn, not prose for the API's descriptions. */
const annotationLines = /^\s*@.*$/gm;

export { isHidden };

/** The prose part of a `///` comment, for GraphQL descriptions. */
export function description(element: { documentation?: string }): string | undefined {
  const text = element.documentation?.replace(annotationLines, '').trim();
  return text || undefined;
}

/**
 * The datamodel as the API sees it: hidden models and fields removed, along with relation fields
 * that point at hidden models, and descriptions stripped of annotations. Computed once per build.
 */
export function apiDatamodel(datamodel: Datamodel): Datamodel {
  const hiddenModels = new Set(datamodel.models.filter(isHidden).map((m) => m.name));
  const visibleField = (field: Field) => !isHidden(field) && !(field.kind === 'object' && hiddenModels.has(field.type));
  const models: Model[] = datamodel.models
    .filter((m) => !hiddenModels.has(m.name))
    .map((model) => {
      const fields = model.fields.filter(visibleField);
      const visible = new Set(fields.map((f) => f.name));
      const allVisible = (index: { fields: readonly string[] }) => index.fields.every((f) => visible.has(f));
      if ((model.primaryKey && !allVisible(model.primaryKey)) || model.fields.some((f) => f.isId && !visible.has(f.name))) {
        throw new Error(`${model.name}: a field of the primary key cannot be @hidden`);
      }
      return {
        ...model,
        documentation: description(model),
        fields: fields.map((f) => ({ ...f, documentation: description(f) })),
        uniqueIndexes: model.uniqueIndexes.filter(allVisible),
      };
    });
  return { ...datamodel, models };
}
