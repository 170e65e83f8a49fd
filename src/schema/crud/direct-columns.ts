import {
  getNamedType,
  GraphQLObjectType,
  isLeafType,
  type FieldNode,
  type FragmentSpreadNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * Every model row Cairn resolves comes from a planned query: each field returning a model is a
 * prismaField, relation or connection, whose selection includes what is asked below it. So the
 * rows are there already, and plugin-prisma's per-field wrappers (which exist to load a row that
 * the planned query did not) are skipped where nothing depends on them:
 *
 * - exposed columns are read straight from the row (plugin-prisma's select mode wraps the resolver
 *   of every column: a page of 20 rows × 7 columns is 140 lookups);
 * - a loaded relation whose selection below it reads only such columns is read straight from its
 *   parent row. plugin-prisma's relation wrapper looks up, per row, how the planned query loaded
 *   the relation (a response-path string built per field, a walk up the path) and records it for
 *   the fields below; with only columns below, none of them looks it up. It must be the only
 *   field beside its siblings that could have loaded that relation (see `soleLoader`).
 *
 * What the planned query left out takes plugin-prisma's own resolver: a column in a `@defer`red
 * fragment (plugin-prisma leaves it out of the first query), a relation it did not load, and any
 * selection with directives other than @include/@skip.
 */
export function readLoadedRowsDirectly(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || !type.extensions?.pothosPrismaModel) continue;
    for (const field of Object.values(type.getFields())) {
      const column = exposedColumn(field);
      const load = field.resolve!;
      if (column) field.resolve = (row: Record<string, unknown>, ...rest) => (column in row ? row[column] : load(row, ...rest));
      else if (relationName(field)) readRelationDirectly(field);
    }
  }
}

/** The column a field exposes as it is: `t.expose(column)` selects `{ [column]: true }` (relations and counts select more). */
function exposedColumn(field: GraphQLField<unknown, unknown>): string | undefined {
  const select = field.extensions?.pothosPrismaSelect as Record<string, unknown> | undefined;
  const columns = select && typeof select === 'object' ? Object.keys(select) : [];
  return columns.length === 1 && select![columns[0]!] === true ? columns[0] : undefined;
}

function readRelationDirectly(field: GraphQLField<unknown, unknown>): void {
  const name = relationName(field)!;
  const target = getNamedType(field.type);
  if (!(target instanceof GraphQLObjectType)) return;
  const load = field.resolve!;
  // Per field node of a (cached) document: whether the row's relation is this node's and it reads only columns below.
  const direct = new WeakMap<FieldNode, boolean>();
  field.resolve = (row, args, context, info) => {
    const value = (row as Record<string, unknown>)[name];
    const node = info.fieldNodes[0]!;
    if (value == null || info.fieldNodes.length !== 1 || !node.selectionSet) return load(row, args, context, info);
    let yes = direct.get(node);
    if (yes === undefined) direct.set(node, (yes = soleLoader(info, name) && readsOnlyColumns(node.selectionSet, target, info.fragments)));
    return yes ? value : load(row, args, context, info);
  };
}

const relationName = (field: GraphQLField<unknown, unknown>) => (field.extensions?.pothosPrismaRelationField as { name: string } | undefined)?.name;

/**
 * Whether the relation the row carries was loaded for this field node: no other field beside it
 * asks for the same relation (an alias with other arguments, a connection over it) or selects
 * anything that might (fields with their own Prisma selection), so plugin-prisma cannot have
 * loaded the relation under this name for another field.
 */
function soleLoader(info: GraphQLResolveInfo, name: string): boolean {
  const node = info.fieldNodes[0]!;
  return siblingsOf(info.operation, info.fragments, node).every((level) =>
    level.every((sibling) => {
      if (sibling === node || sibling.name.value === '__typename') return true;
      if (sibling.name.value === node.name.value) return false;
      const field = info.parentType.getFields()[sibling.name.value];
      if (!field) return false;
      const relation = relationName(field);
      return relation ? relation !== name : readsColumnsOnly(field);
    }),
  );
}

const siblingsByOperation = new WeakMap<OperationDefinitionNode, Map<FieldNode, FieldNode[][]>>();

/** The field nodes beside `node` in each selection set it appears in (fragments flattened), per operation. */
function siblingsOf(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, node: FieldNode): FieldNode[][] {
  let siblings = siblingsByOperation.get(operation);
  if (!siblings) siblingsByOperation.set(operation, (siblings = collectSiblings(operation.selectionSet, fragments, new Map())));
  return siblings.get(node) ?? [];
}

function collectSiblings(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, into: Map<FieldNode, FieldNode[][]>): Map<FieldNode, FieldNode[][]> {
  const level: FieldNode[] = [];
  const flatten = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === 'Field') level.push(selection);
      else {
        const fragment = fragmentOf(selection, fragments);
        if (fragment) flatten(fragment.selectionSet);
      }
    }
  };
  flatten(selectionSet);
  for (const field of level) {
    let lists = into.get(field);
    if (!lists) into.set(field, (lists = []));
    lists.push(level);
    if (field.selectionSet) collectSiblings(field.selectionSet, fragments, into);
  }
  return into;
}

const plainDirectives = new Set(['include', 'skip']);

/**
 * Whether a selection on `type` reads only exposed columns, leaf fields no plugin wraps, and
 * __typename; `fixed`: and selects the same whatever the variables (no directives at all).
 */
export function readsOnlyColumns(selectionSet: SelectionSetNode, type: GraphQLObjectType, fragments: Record<string, FragmentDefinitionNode>, fixed = false): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.directives?.some((d) => fixed || !plainDirectives.has(d.name.value))) return false;
    if (selection.kind === 'Field') {
      if (selection.name.value === '__typename') return true;
      const field = type.getFields()[selection.name.value];
      return !!field && readsColumnsOnly(field);
    }
    const fragment = fragmentOf(selection, fragments);
    if (!fragment || (fragment.typeCondition && fragment.typeCondition.name.value !== type.name)) return false;
    return readsOnlyColumns(fragment.selectionSet, type, fragments, fixed);
  });
}

/** A field that reads its row's columns and nothing else: an exposed column, or a leaf no plugin wraps. */
const readsColumnsOnly = (field: GraphQLField<unknown, unknown>) =>
  exposedColumn(field) !== undefined || (isLeafType(getNamedType(field.type)) && !field.extensions?.pothosPrismaSelect);

/** The fragment an inline fragment or a spread stands for. */
const fragmentOf = (selection: InlineFragmentNode | FragmentSpreadNode, fragments: Record<string, FragmentDefinitionNode>) =>
  selection.kind === 'InlineFragment' ? selection : fragments[selection.name.value];
