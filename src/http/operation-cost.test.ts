import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { expect, it } from 'vitest';
import { operationCost, pageSizeFromVariables } from './operation-cost.ts';

const schema = buildSchema(`
  type Query { users(take: Int): [User!]!, user(id: Int!): User, usersConnection(first: Int, last: Int): UserConnection!, count: Int! }
  type User { id: Int!, posts(take: Int): [Post!]!, tags: [String!]!, best: Post }
  type Post { id: Int!, author: User!, comments(take: Int): [Comment!]! }
  type Comment { id: Int! }
  type UserConnection { edges: [UserEdge!]!, totalCount: Int! }
  type UserEdge { node: User!, cursor: String! }
`);
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) => operationCost(schema, parse(query), operationName, variables, 100);

it('counts rows: lists multiply by take (capped at the page size) or the page size; to-one fields by 1; scalars and scalar lists are free', () => {
  expect(cost('{ count }')).toBe(0);
  expect(cost('{ user(id: 1) { id tags best { id } } }')).toBe(2);
  expect(cost('{ users(take: 10) { id } }')).toBe(10);
  expect(cost('{ users(take: -10) { id } }')).toBe(10);
  expect(cost('{ users(take: 5000) { id } }')).toBe(100);
  expect(cost('{ users { posts(take: 3) { author { id } } } }')).toBe(100 + 300 + 300);
});

it('reads variables, fragments and inline fragments, and picks the named operation', () => {
  expect(cost('query($n: Int) { users(take: $n) { id } }', { n: 7 })).toBe(7);
  expect(cost('query { users(take: 2) { ...P } } fragment P on User { posts(take: 4) { id } }')).toBe(2 + 8);
  expect(cost('{ users(take: 2) { ... on User { posts(take: 4) { id } } } }')).toBe(10);
  expect(cost('query A { count } query B { users(take: 9) { id } }', {}, 'B')).toBe(9);
});

it('treats a connection page as one list: edges inside it are that page', () => {
  expect(cost('{ usersConnection(first: 10) { edges { node { posts(take: 2) { id } } } } }')).toBe(10 + 10 + 10 + 20);
  expect(cost('{ usersConnection { totalCount } }')).toBe(100);
});

it('does not charge introspection (GraphiQL works in development)', () => {
  expect(cost(getIntrospectionQuery())).toBe(0);
});

it('stops growing past any sane limit instead of overflowing', () => {
  let query = 'id';
  for (let i = 0; i < 40; i++) query = `posts { author { ${query} } }`;
  expect(cost(`{ users { ${query} } }`)).toBeGreaterThan(1e12);
  expect(Number.isFinite(cost(`{ users { ${query} } }`))).toBe(true);
});

it('tells documents whose page sizes come from variables (their cost is worked out per request) from the rest (once per document)', () => {
  expect(pageSizeFromVariables(parse('query ($n: Int) { users(take: $n) { id } }'))).toBe(true);
  expect(pageSizeFromVariables(parse('query ($n: Int) { usersConnection(first: 10, last: $n) { totalCount } }'))).toBe(true);
  expect(pageSizeFromVariables(parse('query ($id: Int!, $skip: Int) { user(id: $id) { posts(take: 5, skip: $skip) { id } } }'))).toBe(false);
  expect(pageSizeFromVariables(parse('{ users(take: 3) { id } }'))).toBe(false);
});
