import { getNamedType, isLeafType, isListType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * GraphiQL's opening query: the first list the API offers, with a few of its scalar fields, so a
 * newcomer sees data (or the shape of it) with one click instead of `{ __typename }`.
 */
export function exampleQuery(schema: GraphQLSchema): string {
  const fields = Object.values(schema.getQueryType()?.getFields() ?? {});
  const list = fields.find((field) => {
    const type = isNonNullType(field.type) ? field.type.ofType : field.type;
    return isListType(type) && isObjectType(getNamedType(type)) && field.args.some((arg) => arg.name === 'take');
  });
  if (!list) return '{ __typename }';
  const item = getNamedType(list.type);
  const scalars = isObjectType(item)
    ? Object.values(item.getFields())
        .filter((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0)
        .slice(0, 5)
        .map((f) => f.name)
    : [];
  return `# Press ▶ to run; the docs pane lists every query and mutation.\n{\n  ${list.name}(take: 5) {\n${scalars.map((f) => `    ${f}`).join('\n')}\n  }\n}\n`;
}
