import pluralize from 'pluralize';

/**
 * Every GraphQL name Cairn derives from a model or field lives here, so the API's naming
 * conventions (README "API conventions") are decided in one file.
 */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `post` for model Post. */
export const singularField = (model: string) => lowerFirst(model);

/** `posts` for Post, `people` for Person; `newsList` when the plural equals the singular. */
export function pluralField(model: string): string {
  const singular = lowerFirst(model);
  const plural = pluralize.plural(singular);
  return plural === singular ? `${singular}List` : plural;
}

const Plural = (model: string) => upperFirst(pluralField(model));

export const names = {
  single: singularField,
  list: pluralField,
  connection: (m: string) => `${pluralField(m)}Connection`,
  count: (m: string) => `${pluralField(m)}Count`,
  aggregate: (m: string) => `${pluralField(m)}Aggregate`,
  groupBy: (m: string) => `${pluralField(m)}GroupBy`,
  create: (m: string) => `create${m}`,
  update: (m: string) => `update${m}`,
  upsert: (m: string) => `upsert${m}`,
  delete: (m: string) => `delete${m}`,
  createMany: (m: string) => `createMany${Plural(m)}`,
  updateMany: (m: string) => `updateMany${Plural(m)}`,
  deleteMany: (m: string) => `deleteMany${Plural(m)}`,
  relationCount: (field: string) => `${field}Count`,

  where: (m: string) => `${m}WhereInput`,
  whereUnique: (m: string) => `${m}WhereUniqueInput`,
  compoundUnique: (m: string, fields: readonly string[]) => `${m}${fields.map(upperFirst).join('')}CompoundUniqueInput`,
  scalarWhereWithAggregates: (m: string) => `${m}ScalarWhereWithAggregatesInput`,
  relationFilter: (m: string) => `${m}RelationFilter`,
  listRelationFilter: (m: string) => `${m}ListRelationFilter`,
  orderBy: (m: string) => `${m}OrderByInput`,
  orderByWithAggregation: (m: string) => `${m}OrderByWithAggregationInput`,
  aggregateOrderBy: (m: string) => `${m}AggregateOrderByInput`,
  scalarFieldEnum: (m: string) => `${m}ScalarField`,

  createInput: (m: string) => `${m}CreateInput`,
  updateInput: (m: string) => `${m}UpdateInput`,
  createManyInput: (m: string) => `${m}CreateManyInput`,
  updateManyInput: (m: string) => `${m}UpdateManyInput`,
  createWithout: (m: string, field: string) => `${m}CreateWithout${upperFirst(field)}Input`,
  updateWithout: (m: string, field: string) => `${m}UpdateWithout${upperFirst(field)}Input`,
  createNestedOne: (m: string, field: string) => `${m}CreateNestedOneWithout${upperFirst(field)}Input`,
  createNestedMany: (m: string, field: string) => `${m}CreateNestedManyWithout${upperFirst(field)}Input`,
  updateNestedOne: (m: string, field: string) => `${m}UpdateOneWithout${upperFirst(field)}NestedInput`,
  updateNestedMany: (m: string, field: string) => `${m}UpdateManyWithout${upperFirst(field)}NestedInput`,
  connectOrCreate: (m: string, field: string) => `${m}ConnectOrCreateWithout${upperFirst(field)}Input`,
  upsertNestedOne: (m: string, field: string) => `${m}UpsertWithout${upperFirst(field)}Input`,
  upsertNestedMany: (m: string, field: string) => `${m}UpsertWithWhereUniqueWithout${upperFirst(field)}Input`,
  updateNestedManyItem: (m: string, field: string) => `${m}UpdateWithWhereUniqueWithout${upperFirst(field)}Input`,

  aggregateType: (m: string) => `${m}Aggregate`,
  groupByType: (m: string) => `${m}GroupBy`,
  countAggregate: (m: string) => `${m}CountAggregate`,
  sumAggregate: (m: string) => `${m}SumAggregate`,
  avgAggregate: (m: string) => `${m}AvgAggregate`,
  minAggregate: (m: string) => `${m}MinAggregate`,
  maxAggregate: (m: string) => `${m}MaxAggregate`,

  scalarFilter: (type: string) => `${type}Filter`,
  scalarListFilter: (type: string) => `${type}ListFilter`,
  withAggregatesFilter: (type: string) => `${type}WithAggregatesFilter`,
} as const;
