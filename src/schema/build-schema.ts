import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { Datamodel } from '../db/index.ts';
import { apiDatamodel } from './api-datamodel.ts';
import { createBuilder } from './builder.ts';
import { registerAggregateTypes } from './crud/aggregates.ts';
import { registerEnums } from './crud/enums.ts';
import { createKit } from './crud/kit.ts';
import { registerModelMutations } from './crud/mutations.ts';
import { registerModelObject } from './crud/objects.ts';
import { registerModelQueries } from './crud/queries.ts';
import { createTranslator } from './crud/translate.ts';

export interface BuildSchemaOptions {
  datamodel: Datamodel;
  /** The most rows one list or page returns. @default 100 */
  maxPageSize?: number;
  /** The client's `Prisma.DbNull`: what a GraphQL `null` for a JSON field means. */
  dbNull: unknown;
}

/** Walks the datamodel and builds the whole GraphQL schema; nothing in here is model-specific. */
export function buildSchema({ datamodel: fullDatamodel, maxPageSize = 100, dbNull }: BuildSchemaOptions): GraphQLSchema {
  const datamodel = apiDatamodel(fullDatamodel);
  const builder = createBuilder({ datamodel, maxPageSize });
  const kit = createKit(builder, datamodel, maxPageSize);
  const translate = createTranslator(datamodel, maxPageSize, dbNull);

  builder.queryType({});
  builder.mutationType({});
  const batchPayload = builder.objectRef<{ count: number }>('BatchPayload').implement({
    description: 'The number of rows a *Many mutation affected.',
    fields: (t) => ({ count: t.exposeInt('count') }),
  });
  registerEnums(kit);
  for (const model of datamodel.models) {
    registerModelObject(kit, translate, model);
    registerModelQueries(kit, translate, model, registerAggregateTypes(kit, model));
    registerModelMutations(kit, translate, model, batchPayload);
  }
  return builder.toSchema({ sortSchema: false });
}

/** The SDL clients and codegen read; sorted so diffs show real changes only. */
export const printSdl = (schema: GraphQLSchema) => printSchema(lexicographicSortSchema(schema));
