import { buildSchema } from 'graphql';
import { expect, it } from 'vitest';
import { exampleQuery } from './example-query.ts';

it('opens GraphiQL on the first list with a few scalar fields', () => {
  const schema = buildSchema(`
    type Query { me: User, users(take: Int): [User!]! }
    type User { id: Int!, email: String, posts(take: Int): [Post!]!, a: Int, b: Int, c: Int, d: Int }
    type Post { id: Int! }
  `);
  expect(exampleQuery(schema)).toContain('users(take: 5) {\n    id\n    email\n    a\n    b\n    c\n  }');
});

it('falls back to __typename when there is no list', () => {
  expect(exampleQuery(buildSchema('type Query { hello: String }'))).toBe('{ __typename }');
});
