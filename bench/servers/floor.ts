import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { execute, parse, validate, type DocumentNode } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { runServerProcess } from './harness.ts';

/**
 * The floor under any GraphQL server on this machine: the `byId` query answered from a constant
 * row (no database), by graphql-js on bare node:http (`BENCH_FLOOR=graphql-js`: cached parse and
 * validation, execute, JSON.stringify) or by graphql-yoga with Cairn's settings but none of its
 * plugins (`BENCH_FLOOR=yoga`). See bench/floor.ts.
 */
const typeDefs = `
  enum PostStatus { DRAFT PUBLISHED }
  type Post { id: Int! title: String! slug: String! status: PostStatus! views: Int! createdAt: String! }
  input PostWhereUniqueInput { id: Int }
  type Query { post(where: PostWhereUniqueInput!): Post }`;
const resolvers = {
  Query: {
    post: (_root: unknown, { where }: { where: { id: number } }) => ({ id: where.id, title: 'A title', slug: 'a-title', status: 'PUBLISHED', views: 7, createdAt: '2026-01-01T00:00:00.000Z' }),
  },
};
const schema = createSchema({ typeDefs, resolvers });

function graphqlJs(): (req: IncomingMessage, res: ServerResponse) => void {
  const documents = new Map<string, DocumentNode>();
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      let document = documents.get(query);
      if (!document) {
        document = parse(query);
        if (validate(schema, document).length) throw new Error('invalid document');
        documents.set(query, document);
      }
      const body = JSON.stringify(await execute({ schema, document, variableValues: variables }));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  };
}

await runServerProcess(async () => {
  const handler =
    process.env.BENCH_FLOOR === 'yoga'
      ? createYoga({ schema, graphqlEndpoint: '/graphql', landingPage: false, graphiql: false, logging: false, maxRequestBodySize: false as unknown as undefined })
      : graphqlJs();
  const server = createServer(handler);
  return { server, path: '/graphql', stop: async () => void server.close() };
});
