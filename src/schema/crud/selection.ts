import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields selected under the current field, two levels deep (`{ _count: ['_all', 'title'] }`),
 * following fragments. Aggregates ask the database only for what the client selected.
 */
export function selectedFields(info: GraphQLResolveInfo): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  const visit = (set: SelectionSetNode | undefined, into: (name: string, sub?: SelectionSetNode) => void) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) into(selection.name.value, selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, into);
      else visit(info.fragments[selection.name.value]?.selectionSet, into);
    }
  };
  for (const node of info.fieldNodes) {
    visit(node.selectionSet, (name, sub) => {
      const children = result.get(name) ?? new Set<string>();
      result.set(name, children);
      visit(sub, (child) => children.add(child));
    });
  }
  return result;
}
