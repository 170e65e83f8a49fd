import { getNamedType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGenerated, type Provider } from '../src/db/index.ts';
import { apiDatamodel } from '../src/schema/api-datamodel.ts';
import { buildSchema, names, printSdl } from '../src/schema/index.ts';
import { fixtures, type FixtureName } from './support/fixtures.ts';

// Built from the generated datamodels without a database, so these run on every machine.
// pglists has scalar lists, which Prisma accepts on PostgreSQL only: no SQLite client exists for it.
const providersOf: Record<FixtureName, Provider[]> = {
  blog: ['sqlite', 'postgresql'],
  catalog: ['sqlite', 'postgresql'],
  tenancy: ['sqlite', 'postgresql'],
  files: ['sqlite', 'postgresql'],
  pglists: ['postgresql'],
};
const cases = (Object.keys(providersOf) as FixtureName[]).flatMap((f) => providersOf[f].map((p): [FixtureName, Provider] => [f, p]));

async function build(fixture: FixtureName, provider: Provider, relabel?: Provider) {
  const generated = await loadGenerated(fixtures[fixture].generated, provider);
  const datamodel = relabel ? { ...generated.datamodel, provider: relabel } : generated.datamodel;
  const schema = buildSchema({ datamodel, dbNull: generated.Prisma.DbNull });
  // The models as the API sees them: `/// @hidden` models and fields left out.
  return { schema, models: apiDatamodel(generated.datamodel).models };
}

describe('printed schema', () => {
  // One snapshot per fixture: the API is the same whatever DATABASE_URL says.
  it.each(Object.keys(providersOf) as FixtureName[])('%s matches its snapshot', async (fixture) => {
    const { schema } = await build(fixture, providersOf[fixture][0]!);
    // Review changes to these files like code: they are the API clients and codegen see.
    await expect(printSdl(schema)).toMatchFileSnapshot(`./__snapshots__/${fixture}.graphql`);
  });

  it.each(cases)('%s on %s serves the same SDL as on every other provider', async (fixture, provider) => {
    const sdl = printSdl((await build(fixture, provider)).schema);
    for (const other of providersOf[fixture].filter((p) => p !== provider)) {
      expect(printSdl((await build(fixture, other)).schema), `${fixture}: ${provider} vs ${other}`).toBe(sdl);
    }
    // The generator never reads the provider: the same datamodel labelled with another one prints the same SDL
    // (this is what covers pglists, and any fixture whose other client is absent).
    for (const label of ['sqlite', 'postgresql'] as const) {
      expect(printSdl((await build(fixture, provider, label)).schema), `${fixture} labelled ${label}`).toBe(sdl);
    }
  });
});

/** `{ where: 'PostWhereUniqueInput!' }`: a field's arguments and their types. */
const argsOf = (field: GraphQLField<unknown, unknown> | undefined) =>
  Object.fromEntries((field?.args ?? []).map((a) => [a.name, String(a.type)]));

describe('API conventions', () => {
  describe.each(cases)('%s on %s', (fixture, provider) => {
    let schema: GraphQLSchema;
    let models: Awaited<ReturnType<typeof build>>['models'];
    const query = () => schema.getQueryType()!.getFields();
    const mutation = () => schema.getMutationType()!.getFields();
    beforeAll(async () => {
      ({ schema, models } = await build(fixture, provider));
    });

    it('gives every model the full set of root queries, with the conventional arguments and types', () => {
      expect(models.length).toBeGreaterThan(0);
      for (const { name: m } of models) {
        const single = query()[names.single(m)];
        expect(String(single?.type), names.single(m)).toBe(m);
        expect(argsOf(single)).toEqual({ where: `${names.whereUnique(m)}!` });

        const list = query()[names.list(m)];
        expect(String(list?.type), names.list(m)).toBe(`[${m}!]!`);
        expect(argsOf(list)).toEqual({
          where: names.where(m),
          orderBy: `[${names.orderBy(m)}!]`,
          cursor: names.whereUnique(m),
          skip: 'Int',
          take: 'Int',
          distinct: `[${names.scalarFieldEnum(m)}!]`,
        });

        const connection = query()[names.connection(m)];
        expect(argsOf(connection), names.connection(m)).toEqual({
          where: names.where(m),
          orderBy: `[${names.orderBy(m)}!]`,
          first: 'Int',
          after: 'String',
          last: 'Int',
          before: 'String',
        });
        const connectionType = getNamedType(connection!.type) as GraphQLObjectType;
        expect(Object.keys(connectionType.getFields()).sort()).toEqual(['edges', 'pageInfo', 'totalCount']);
        const edge = getNamedType(connectionType.getFields().edges!.type) as GraphQLObjectType;
        expect(Object.fromEntries(Object.values(edge.getFields()).map((f) => [f.name, String(f.type)]))).toEqual({ cursor: 'String!', node: `${m}!` });

        const count = query()[names.count(m)];
        expect(String(count?.type), names.count(m)).toBe('Int!');
        expect(argsOf(count)).toEqual({ where: names.where(m) });

        const aggregate = query()[names.aggregate(m)];
        expect(String(aggregate?.type), names.aggregate(m)).toBe(`${names.aggregateType(m)}!`);
        expect(argsOf(aggregate)).toEqual({ where: names.where(m) });
        const aggregates = Object.keys((getNamedType(aggregate!.type) as GraphQLObjectType).getFields());
        expect(aggregates).toContain('_count');
        expect(['_count', '_sum', '_avg', '_min', '_max']).toEqual(expect.arrayContaining(aggregates));

        const groupBy = query()[names.groupBy(m)];
        expect(String(groupBy?.type), names.groupBy(m)).toBe(`[${names.groupByType(m)}!]!`);
        expect(argsOf(groupBy)).toMatchObject({
          by: `[${names.scalarFieldEnum(m)}!]!`,
          where: names.where(m),
          having: names.scalarWhereWithAggregates(m),
          orderBy: `[${names.orderByWithAggregation(m)}!]`,
        });
      }
    });

    it('gives every model the full set of root mutations; the *Many variants return { count }', () => {
      for (const { name: m } of models) {
        const expected: Record<string, [type: string, args: Record<string, string>]> = {
          [names.create(m)]: [`${m}!`, { data: `${names.createInput(m)}!` }],
          [names.update(m)]: [`${m}!`, { where: `${names.whereUnique(m)}!`, data: `${names.updateInput(m)}!` }],
          [names.upsert(m)]: [`${m}!`, { where: `${names.whereUnique(m)}!`, create: `${names.createInput(m)}!`, update: `${names.updateInput(m)}!` }],
          [names.delete(m)]: [`${m}!`, { where: `${names.whereUnique(m)}!` }],
          [names.createMany(m)]: ['BatchPayload!', { data: `[${names.createManyInput(m)}!]!` }],
          [names.updateMany(m)]: ['BatchPayload!', { where: `${names.where(m)}!`, data: `${names.updateManyInput(m)}!` }],
          [names.deleteMany(m)]: ['BatchPayload!', { where: `${names.where(m)}!` }],
        };
        for (const [name, [type, args]] of Object.entries(expected)) {
          expect(String(mutation()[name]?.type), name).toBe(type);
          expect(argsOf(mutation()[name]), name).toEqual(args);
        }
      }
      const batch = schema.getType('BatchPayload') as GraphQLObjectType;
      expect(Object.keys(batch.getFields())).toEqual(['count']);
    });

    it('derives distinct root names for distinct models', () => {
      const derived = models.flatMap(({ name: m }) =>
        [names.single, names.list, names.connection, names.count, names.aggregate, names.groupBy].map((n) => n(m)),
      );
      expect(new Set(derived).size).toBe(derived.length);
    });

    it('gives to-many relations the list arguments and a <field>Count', () => {
      for (const model of models) {
        const type = schema.getType(model.name) as GraphQLObjectType;
        for (const field of model.fields.filter((f) => f.kind === 'object' && f.isList)) {
          const target = field.type;
          expect(argsOf(type.getFields()[field.name]), `${model.name}.${field.name}`).toEqual({
            where: names.where(target),
            orderBy: `[${names.orderBy(target)}!]`,
            cursor: names.whereUnique(target),
            skip: 'Int',
            take: 'Int',
            distinct: `[${names.scalarFieldEnum(target)}!]`,
          });
          const count = type.getFields()[names.relationCount(field.name)];
          expect(String(count?.type), `${model.name}.${names.relationCount(field.name)}`).toBe('Int!');
          expect(argsOf(count)).toEqual({ where: names.where(target) });
        }
      }
    });
  });
});
