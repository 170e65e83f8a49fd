import { GraphQLInputObjectType, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerated } from '../../src/db/index.ts';
import { buildSchema } from '../../src/schema/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { expectData, expectError } from './expect-data.ts';

// Built without a database, so it runs on machines without PostgreSQL too.
describe('pglists schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    const generated = await loadGenerated(fixtures.pglists.generated, 'postgresql');
    schema = buildSchema({ datamodel: generated.datamodel, dbNull: generated.Prisma.DbNull });
  });
  const fieldsOf = (name: string) => {
    const type = schema.getType(name) as GraphQLInputObjectType | GraphQLObjectType;
    return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, String(f.type)]));
  };

  it('types scalar lists as non-null lists of non-null items on output and lists on input', () => {
    expect(fieldsOf('Board')).toMatchObject({ labels: '[String!]!', scores: '[Int!]!', colors: '[Color!]!' });
    for (const input of ['BoardCreateInput', 'BoardUpdateInput', 'BoardCreateManyInput', 'BoardUpdateManyInput']) {
      expect(fieldsOf(input)).toMatchObject({ labels: '[String!]', scores: '[Int!]', colors: '[Color!]' });
    }
  });

  it("filters every list kind with Prisma's list operators", () => {
    expect(fieldsOf('BoardWhereInput')).toMatchObject({ labels: 'StringListFilter', scores: 'IntListFilter', colors: 'ColorListFilter' });
    expect(fieldsOf('ColorListFilter')).toEqual({ equals: '[Color!]', has: 'Color', hasEvery: '[Color!]', hasSome: '[Color!]', isEmpty: 'Boolean' });
  });
});

// Scalar lists exist only on PostgreSQL, so this fixture declares it and its queries run there alone.
describeEachProvider(
  'pglists scalar lists',
  (provider) => {
    let t: TestApp;
    const run = async (query: string, variables?: Record<string, unknown>) => expectData(await t.gql(query, variables));
    const names = async (where: string) =>
      (await run(`{ boards(where: ${where}, orderBy: [{ name: asc }]) { name } }`)).boards.map((b: { name: string }) => b.name);

    beforeAll(async () => {
      t = await createTestApp('pglists', provider);
    });
    afterAll(() => t.close());

    describe('writes', () => {
      it('creates a row with String, Int and enum lists and reads them back in order', async () => {
        const data = { name: 'alpha', labels: ['b', 'a', 'b', 'with space', ''], scores: [3, -1, 2147483647, 0], colors: ['BLUE', 'RED', 'BLUE'] };
        const created = await run(`mutation($data: BoardCreateInput!) { createBoard(data: $data) { id name labels scores colors } }`, { data });
        expect(created.createBoard).toMatchObject(data);
        const read = await run(`query($id: Int!) { board(where: { id: $id }) { labels scores colors } }`, { id: created.createBoard.id });
        expect(read.board).toEqual({ labels: data.labels, scores: data.scores, colors: data.colors });
      });

      it('defaults absent lists to empty lists', async () => {
        const created = await run(`mutation { createBoard(data: { name: "empty" }) { labels scores colors } }`);
        expect(created.createBoard).toEqual({ labels: [], scores: [], colors: [] });
      });

      it('replaces lists on update and leaves absent ones alone', async () => {
        const { createBoard } = await run(`mutation { createBoard(data: { name: "upd", labels: ["x"], scores: [1, 2], colors: [GREEN] }) { id } }`);
        const updated = await run(`mutation($id: Int!) { updateBoard(where: { id: $id }, data: { labels: ["y", "z"], colors: [] }) { labels scores colors } }`, { id: createBoard.id });
        expect(updated.updateBoard).toEqual({ labels: ['y', 'z'], scores: [1, 2], colors: [] });
      });

      it('writes lists through createMany and updateMany', async () => {
        const many = await run(`mutation { createManyBoards(data: [{ name: "m1", labels: ["bulk"], scores: [7] }, { name: "m2", labels: ["bulk", "two"], colors: [RED, GREEN] }]) { count } }`);
        expect(many.createManyBoards.count).toBe(2);
        const updated = await run(`mutation { updateManyBoards(where: { labels: { has: "bulk" } }, data: { scores: [9, 9] }) { count } }`);
        expect(updated.updateManyBoards.count).toBe(2);
        const read = await run(`{ boards(where: { name: { in: ["m1", "m2"] } }, orderBy: [{ name: asc }]) { name labels scores colors } }`);
        expect(read.boards).toEqual([
          { name: 'm1', labels: ['bulk'], scores: [9, 9], colors: [] },
          { name: 'm2', labels: ['bulk', 'two'], scores: [9, 9], colors: ['RED', 'GREEN'] },
        ]);
      });

      it('rejects a null list, a null item and an unknown enum item with BAD_USER_INPUT, writing nothing', async () => {
        const before = (await run(`{ boardsCount }`)).boardsCount;
        expectError(await t.gql(`mutation { createBoard(data: { name: "bad", labels: ["ok", null] }) { id } }`), 'BAD_USER_INPUT');
        expectError(await t.gql(`mutation { createBoard(data: { name: "bad", colors: [PURPLE] }) { id } }`), 'BAD_USER_INPUT');
        expectError(await t.gql(`mutation($s: [Int!]) { createBoard(data: { name: "bad", scores: $s }) { id } }`, { s: [1, 'two'] }), 'BAD_USER_INPUT');
        expectError(await t.gql(`mutation { updateManyBoards(where: {}, data: { labels: null }) { count } }`), 'BAD_USER_INPUT');
        expect((await run(`{ boardsCount }`)).boardsCount).toBe(before);
      });
    });

    describe('filters', () => {
      beforeAll(async () => {
        await run(`mutation { deleteManyBoards(where: {}) { count } }`);
        await run(`mutation { createManyBoards(data: [
          { name: "a", labels: ["red", "urgent"], scores: [1, 2, 3], colors: [RED] },
          { name: "b", labels: ["urgent"], scores: [3, 4], colors: [RED, GREEN, BLUE] },
          { name: "c", labels: [], scores: [], colors: [] },
          { name: "d", labels: ["later"], scores: [10], colors: [BLUE, BLUE] }
        ]) { count } }`);
      });

      it('has: one item is present', async () => {
        expect(await names(`{ labels: { has: "urgent" } }`)).toEqual(['a', 'b']);
        expect(await names(`{ scores: { has: 3 } }`)).toEqual(['a', 'b']);
        expect(await names(`{ colors: { has: BLUE } }`)).toEqual(['b', 'd']);
      });

      it('hasSome: at least one of the items is present', async () => {
        expect(await names(`{ labels: { hasSome: ["later", "red"] } }`)).toEqual(['a', 'd']);
        expect(await names(`{ scores: { hasSome: [4, 10, 99] } }`)).toEqual(['b', 'd']);
        expect(await names(`{ colors: { hasSome: [GREEN] } }`)).toEqual(['b']);
      });

      it('hasEvery: all of the items are present', async () => {
        expect(await names(`{ labels: { hasEvery: ["red", "urgent"] } }`)).toEqual(['a']);
        expect(await names(`{ scores: { hasEvery: [3] } }`)).toEqual(['a', 'b']);
        expect(await names(`{ colors: { hasEvery: [RED, BLUE] } }`)).toEqual(['b']);
      });

      it('isEmpty and equals', async () => {
        expect(await names(`{ labels: { isEmpty: true } }`)).toEqual(['c']);
        expect(await names(`{ scores: { isEmpty: false } }`)).toEqual(['a', 'b', 'd']);
        expect(await names(`{ colors: { equals: [BLUE, BLUE] } }`)).toEqual(['d']);
        expect(await names(`{ labels: { equals: ["urgent"] } }`)).toEqual(['b']);
      });

      it('combines list filters with other filters', async () => {
        expect(await names(`{ OR: [{ labels: { isEmpty: true } }, { colors: { has: GREEN } }], NOT: [{ name: { equals: "c" } }] }`)).toEqual(['b']);
      });

      it('counts list values in aggregates and leaves lists out of _min/_max', async () => {
        const { boardsAggregate } = await run(`{ boardsAggregate { _count { _all labels scores colors } _min { name } _max { id } } }`);
        expect(boardsAggregate._count).toEqual({ _all: 4, labels: 4, scores: 4, colors: 4 });
        expect(boardsAggregate._min).toEqual({ name: 'a' });
        const error = expectError(await t.gql(`{ boardsAggregate { _min { labels } } }`), 'BAD_USER_INPUT');
        expect(error.message).toBe('Cannot query field "labels" on type "BoardMinAggregate".');
      });
    });
  },
  ['postgresql'],
);
