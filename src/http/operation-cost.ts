import {
  getNamedType,
  getNullableType,
  isListType,
  isLeafType,
  Kind,
  valueFromASTUntyped,
  visit as visitAst,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The arguments that bound a generated list: `take` (lists, relation lists, groupBy), `first`/`last` (connections). */
const pageArguments = ['take', 'first', 'last'];

/** Whether a variable's value sets a page size anywhere (`take: $n`): then the cost depends on the variables. */
export function pageSizeFromVariables(document: DocumentNode): boolean {
  let found = false;
  visitAst(document, {
    Argument(node) {
      if (!pageArguments.includes(node.name.value)) return false;
      visitAst(node.value, { Variable: () => void (found = true) });
      return false;
    },
  });
  return found;
}

/**
 * The rows an operation may ask for, before it runs: every object-typed field costs the product
 * of the list sizes on its path, its own included. A field with `take`/`first`/`last` multiplies
 * by that value (a variable's value included), capped at `maxPageSize` — the cap the server
 * applies anyway — or by `maxPageSize` when the argument is absent; a list without such an
 * argument (a connection's `edges`) multiplies by `maxPageSize` unless its parent was already
 * paginated (then it is that page). To-one fields multiply by 1. Nothing here is model-specific:
 * it reads the schema's types and arguments only.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  maxPageSize: number,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const vars = variables ?? {};

  const pageSize = (field: GraphQLField<unknown, unknown>, node: { arguments?: readonly any[] }): number | undefined => {
    if (!field.args.some((arg) => pageArguments.includes(arg.name))) return undefined;
    let size: number | undefined;
    for (const arg of node.arguments ?? []) {
      if (!pageArguments.includes(arg.name.value)) continue;
      const value = valueFromASTUntyped(arg.value, vars);
      if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, Math.abs(value));
    }
    return Math.min(size ?? maxPageSize, maxPageSize);
  };

  // Fragments spread inside themselves are invalid (validation reports them); the guard keeps this finite.
  const visit = (type: GraphQLNamedType, selections: SelectionSetNode, multiplier: number, paginated: boolean, seen: Set<string>): number => {
    let cost = 0;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value) ?? type;
        cost += visit(on, fragment.selectionSet, multiplier, paginated, new Set(seen).add(fragment.name.value));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
        cost += visit(on, selection.selectionSet, multiplier, paginated, seen);
      } else if (selection.name.value.startsWith('__')) {
        // Introspection reads the schema, not rows (and is off in production unless enabled).
        continue;
      } else {
        const field = 'getFields' in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>)[selection.name.value] : undefined;
        if (!field || !selection.selectionSet) continue;
        const named = getNamedType(field.type);
        if (isLeafType(named)) continue;
        const page = pageSize(field, selection);
        const list = isListType(getNullableType(field.type));
        const factor = page ?? (list ? (paginated ? 1 : maxPageSize) : 1);
        const rows = multiplier * factor;
        cost += rows + visit(named, selection.selectionSet, rows, page !== undefined && !list, seen);
        // Past any limit anyone sets: stop walking (and multiplying towards Infinity).
        if (cost > Number.MAX_SAFE_INTEGER / maxPageSize) return cost;
      }
    }
    return cost;
  };
  return visit(root, operation.selectionSet, 1, false, new Set());
}
