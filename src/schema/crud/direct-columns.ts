import { GraphQLObjectType, type GraphQLSchema } from 'graphql';

/**
 * plugin-prisma's select mode wraps the resolver of every exposed column so that a row loaded
 * without it could be loaded again; that wrapper runs per field per row (a page of 20 rows × 7
 * columns is 140 lookups). Every model row Cairn resolves comes from a planned query — each field
 * returning a model is a prismaField, relation or connection, whose selection includes the
 * exposed columns asked for — so exposed columns are read straight from the row. A column in a
 * `@defer`red fragment is the exception (plugin-prisma leaves it out of the first query): for a
 * row without the column, plugin-prisma's own resolver loads it.
 */
export function readExposedColumnsDirectly(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || !type.extensions?.pothosPrismaModel) continue;
    for (const field of Object.values(type.getFields())) {
      const select = field.extensions?.pothosPrismaSelect as Record<string, unknown> | undefined;
      const columns = select && typeof select === 'object' ? Object.keys(select) : [];
      // t.expose(column) selects `{ [column]: true }`; relations and counts select more than that.
      if (columns.length !== 1 || select![columns[0]!] !== true) continue;
      const column = columns[0]!;
      const load = field.resolve!;
      field.resolve = (row: Record<string, unknown>, ...rest) => (column in row ? row[column] : load(row, ...rest));
    }
  }
}
