import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { lexicographicSortSchema, printSchema, specifiedDirectives, type GraphQLSchema } from 'graphql';
import { alwaysAllowed, readRuleColumns, resolveRules, type ResolvedRules } from '../access/index.ts';
import type { Datamodel } from '../db/index.ts';
import { apiDatamodel } from './api-datamodel.ts';
import { createBuilder, type Builder } from './builder.ts';
import { registerAggregateTypes } from './crud/aggregates.ts';
import { registerEnums } from './crud/enums.ts';
import { readLoadedRowsDirectly } from './crud/direct-columns.ts';
import { planColumnQueriesOnce } from './crud/planned-queries.ts';
import { createKit, type Kit } from './crud/kit.ts';
import { registerModelMutations } from './crud/mutations.ts';
import { nodeModels, registerNodeInterface } from './crud/nodes.ts';
import { registerModelObject } from './crud/objects.ts';
import { registerModelQueries } from './crud/queries.ts';
import { createTranslator } from './crud/translate.ts';
import type { FieldTypes } from './crud/field-types.ts';
import { generatedFields } from './read-only-fields.ts';

/**
 * Adds types and root fields beside the generated CRUD API (auth, uploads, subscriptions). Runs
 * after every model is registered, so it can refer to model types by name (e.g. `User`).
 */
export type SchemaExtension = (builder: Builder, kit: Kit) => void;

export interface BuildSchemaOptions {
  datamodel: Datamodel;
  /** The most rows one list or page returns. @default 100 */
  maxPageSize?: number;
  /** The client's `Prisma.DbNull`: what a GraphQL `null` for a JSON field means. */
  dbNull: unknown;
  /** Applied in order after the CRUD registration; a disabled feature is simply left out. @default [] */
  extensions?: SchemaExtension[];
  /** The access rules (they decide which relations and fields are nullable). @default resolved from `datamodel` */
  rules?: ResolvedRules;
  /**
   * Fields left out of the generated create/update inputs, written only by Cairn's own flows or
   * server code (e.g. `{ User: ['email', 'emailVerified', 'roles'] }` from auth). Generated ids,
   * `@updatedAt` and `@default(now())` fields are left out besides these unless annotated
   * `/// @writable` (see read-only-fields.ts). @default {}
   */
  readOnlyFields?: Readonly<Record<string, readonly string[]>>;
  /** Scalar columns served under other GraphQL types (file fields: `File` out, `Upload` in). @default none */
  fieldTypes?: FieldTypes;
}

/** Walks the datamodel and builds the whole GraphQL schema; nothing in here is model-specific. */
export function buildSchema({ datamodel: fullDatamodel, maxPageSize = 100, dbNull, extensions = [], rules = resolveRules(fullDatamodel), readOnlyFields = {}, fieldTypes }: BuildSchemaOptions): GraphQLSchema {
  const datamodel = apiDatamodel(fullDatamodel);
  const builder = createBuilder({ datamodel, maxPageSize });
  const generated = generatedFields(fullDatamodel);
  const kit = createKit(builder, datamodel, maxPageSize, {
    mayHide: (model, field) => !alwaysAllowed(rules, model, 'read', field),
    readColumns: (model) => readRuleColumns(rules, model),
    readOnly: (model, field) => (readOnlyFields[model]?.includes(field) ?? false) || (generated.get(model)?.has(field) ?? false),
  }, fieldTypes);
  const translate = createTranslator(datamodel, maxPageSize, dbNull);

  builder.queryType({});
  builder.mutationType({});
  const batchPayload = builder.objectRef<{ count: number }>('BatchPayload').implement({
    description: 'The number of rows a *Many mutation affected.',
    fields: (t) => ({ count: t.exposeInt('count') }),
  });
  registerEnums(kit);
  const node = registerNodeInterface(kit);
  const nodes = new Set(nodeModels(kit));
  for (const model of datamodel.models) {
    registerModelObject(kit, translate, model, nodes.has(model) ? [node] : []);
    registerModelQueries(kit, translate, model, registerAggregateTypes(kit, model));
    registerModelMutations(kit, translate, model, batchPayload);
  }
  for (const extend of extensions) extend(builder, kit);
  // @defer and @stream are part of the API (yoga's defer-stream plugin executes them), so the
  // printed SDL that codegen reads declares them too.
  const schema = builder.toSchema({ sortSchema: false, directives: [...specifiedDirectives, GraphQLDeferDirective, GraphQLStreamDirective] });
  readLoadedRowsDirectly(schema);
  planColumnQueriesOnce(schema);
  return schema;
}

/** The SDL clients and codegen read; sorted so diffs show real changes only. */
export const printSdl = (schema: GraphQLSchema) => printSchema(lexicographicSortSchema(schema));
