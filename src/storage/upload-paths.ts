import {
  getNamedType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  Kind,
  parse,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { badInput } from '../errors.ts';
import type { FileField, FileFields } from './file-fields.ts';

/** The column a generated input field writes (set by the schema's field-type seam), e.g. `Post.cover`. */
export const columnOf = (field: GraphQLInputField) => field.extensions?.cairnColumn as string | undefined;

/**
 * Which file fields a multipart `map` path (`variables.data.cover`, `variables.file`) feeds, read
 * from the operation itself: the variable's declared type, and for a bare `Upload` variable every
 * input field the document passes it to. A path that reaches no file field is refused, so a
 * request can only stream files to fields whose limits are known before the first byte.
 */
export function createUploadPaths(schema: GraphQLSchema, fileFields: FileFields, operations: { query?: unknown; operationName?: unknown }) {
  if (typeof operations.query !== 'string') throw badInput('Multipart "operations" needs a "query" string.');
  let document: DocumentNode;
  try {
    document = parse(operations.query);
  } catch (error) {
    throw badInput(`Multipart "operations" has a query that does not parse: ${(error as Error).message}`);
  }
  const operationsDefs = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationsDefs.find((d) => d.name?.value === operations.operationName) ?? (operationsDefs.length === 1 ? operationsDefs[0] : undefined);
  if (!operation) throw badInput('Multipart "operations" names no single operation to run.');

  // Every input field each variable is passed to (`data: { cover: $file }`, `attachments: [$a, $b]`).
  const usages = new Map<string, Set<string>>();
  const typeInfo = new TypeInfo(schema);
  const fieldStack: (GraphQLInputField | undefined)[] = [];
  visit(
    operation,
    visitWithTypeInfo(typeInfo, {
      ObjectField: {
        enter(node) {
          const parent = getNamedType(typeInfo.getParentInputType());
          fieldStack.push(parent instanceof GraphQLInputObjectType ? parent.getFields()[node.name.value] : undefined);
        },
        leave: () => void fieldStack.pop(),
      },
      Variable(node) {
        const column = fieldStack.length ? columnOf(fieldStack.at(-1)!) : undefined;
        if (!column) return;
        if (!usages.has(node.name.value)) usages.set(node.name.value, new Set());
        usages.get(node.name.value)!.add(column);
      },
    }),
  );

  return function fieldsFor(path: string): FileField[] {
    const segments = path.split('.');
    if (segments[0] !== 'variables' || segments.length < 2) throw badInput(`Multipart map path "${path}" must start with "variables." and name a variable.`);
    const name = segments[1]!;
    const definition = operation.variableDefinitions?.find((v) => v.variable.name.value === name);
    if (!definition) throw badInput(`Multipart map path "${path}" names variable $${name}, which the operation does not declare.`);
    let type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    let column: string | undefined;
    for (const segment of segments.slice(2)) {
      if (type instanceof GraphQLNonNull) type = type.ofType;
      if (type instanceof GraphQLList && /^\d+$/.test(segment)) {
        type = type.ofType;
      } else if (type instanceof GraphQLInputObjectType && type.getFields()[segment]) {
        const field = type.getFields()[segment]!;
        column = columnOf(field);
        type = field.type;
      } else {
        throw badInput(`Multipart map path "${path}" points at nothing in $${name}'s type.`);
      }
    }
    if (getNamedType(type)?.name !== 'Upload') throw badInput(`Multipart map path "${path}" is not an Upload.`);
    const columns = column ? [column] : [...(usages.get(name) ?? [])];
    const fields = columns.map((c) => fileFields.get(...(c.split('.') as [string, string]))).filter((f): f is FileField => f !== undefined);
    if (!fields.length) throw badInput(`Multipart map path "${path}" feeds no file field.`);
    return fields;
  };
}
