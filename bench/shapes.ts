import type { DatasetSize } from './dataset/sizes.ts';
import { firstNames, words } from './dataset/generate.ts';

/**
 * A query shape users send, in the words of each server: Cairn's GraphQL (the raw and Prisma
 * servers answer `POST /<name>` with the same variables and the same `data`), and PostGraphile's
 * GraphQL where v5 has the shape. Variables vary per request, deterministically.
 */
export interface Shape {
  name: string;
  title: string;
  /** Writes run after every read shape, so reads see the same rows on every server. */
  write?: boolean;
  /** Variables of the k-th request of a cell; `tag` is unique per cell (for unique slugs). */
  vars(k: number, size: DatasetSize, tag: string): Record<string, unknown>;
  cairn: string;
  postgraphile: { query: string; vars?: (vars: Record<string, any>) => Record<string, unknown> } | { na: string };
  /** A comparable summary of a response's `data` (same across servers when they did the same work). */
  summarize(data: any): unknown;
  summarizePostgraphile?(data: any): unknown;
}

/** The user Cairn's requests run as (with the admin role, see servers/cairn.ts); writes are done as them. */
export const benchAdminId = 1;

const spread = (k: number, n: number) => 1 + ((k * 7919) % n);
const ids = (rows: { id?: number; rowId?: number }[]) => rows.map((r) => r.id ?? r.rowId);
const searchWords = words.slice(0, 12);

export const shapes: Shape[] = [
  {
    name: 'byId',
    title: 'single row by id',
    vars: (k, size) => ({ id: spread(k, size.posts) }),
    cairn: 'query ById($id: Int!) { post(where: { id: $id }) { id title slug status views createdAt } }',
    postgraphile: { query: 'query ById($id: Int!) { post: postByRowId(rowId: $id) { rowId title slug status views createdAt } }' },
    summarize: (d) => [d.post?.id ?? d.post?.rowId, d.post?.title],
  },
  {
    name: 'page',
    title: 'page of 20 posts',
    vars: (k) => ({ skip: (k % 10) * 20 }),
    cairn: 'query Page($skip: Int!) { posts(take: 20, skip: $skip, orderBy: [{ id: desc }]) { id title slug status views publishedAt authorId } }',
    postgraphile: {
      query: 'query Page($skip: Int!) { allPosts(first: 20, offset: $skip, orderBy: [ROW_ID_DESC]) { nodes { rowId title slug status views publishedAt authorId } } }',
    },
    summarize: (d) => ids(d.posts),
    summarizePostgraphile: (d) => ids(d.allPosts.nodes),
  },
  {
    name: 'nested',
    title: '20 posts + author + latest 5 comments + their authors',
    vars: (k) => ({ skip: (k % 10) * 20 }),
    cairn: `query Nested($skip: Int!) { posts(take: 20, skip: $skip, orderBy: [{ id: desc }]) {
      id title author { id name }
      comments(take: 5, orderBy: [{ createdAt: desc }]) { id body createdAt author { id name } } } }`,
    postgraphile: {
      query: `query Nested($skip: Int!) { allPosts(first: 20, offset: $skip, orderBy: [ROW_ID_DESC]) { nodes {
        rowId title userByAuthorId { rowId name }
        commentsByPostId(first: 5, orderBy: [CREATED_AT_DESC]) { nodes { rowId body createdAt userByAuthorId { rowId name } } } } } }`,
    },
    summarize: (d) => d.posts.map((p: any) => [p.id, p.author.id, ...ids(p.comments)]),
    summarizePostgraphile: (d) => d.allPosts.nodes.map((p: any) => [p.rowId, p.userByAuthorId.rowId, ...ids(p.commentsByPostId.nodes)]),
  },
  {
    name: 'connection',
    title: 'Relay connection page + totalCount',
    vars: () => ({ status: 'PUBLISHED' }),
    cairn: `query Connection($status: PostStatus!) { postsConnection(first: 20, where: { status: { equals: $status } }) {
      totalCount edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`,
    postgraphile: {
      query: `query Connection($status: PostStatus!) { postsConnection: allPosts(first: 20, condition: { status: $status }, orderBy: [ROW_ID_ASC]) {
        totalCount edges { cursor node { rowId title } } pageInfo { hasNextPage endCursor } } }`,
    },
    summarize: (d) => [d.postsConnection.totalCount, ...d.postsConnection.edges.map((e: any) => e.node.id ?? e.node.rowId)],
  },
  {
    name: 'search',
    title: 'filtered search (contains + relation filter + order)',
    vars: (k) => ({ q: searchWords[k % searchWords.length], who: firstNames[(k * 7) % firstNames.length] }),
    cairn: `query Search($q: String!, $who: String!) { posts(where: { title: { contains: $q }, author: { is: { name: { startsWith: $who } } } },
      orderBy: [{ views: desc }, { id: asc }], take: 20) { id title views } }`,
    postgraphile: {
      query: `query Search($q: String!, $who: String!) { allPosts(first: 20, orderBy: [VIEWS_DESC, ROW_ID_ASC],
        filter: { title: { includes: $q }, userByAuthorId: { name: { startsWith: $who } } }) { nodes { rowId title views } } }`,
    },
    summarize: (d) => ids(d.posts),
    summarizePostgraphile: (d) => ids(d.allPosts.nodes),
  },
  {
    name: 'aggregate',
    title: 'count + aggregate (_count, _avg)',
    vars: (k, size) => ({ a: spread(k, size.users) }),
    cairn: 'query Aggregate($a: Int!) { postsAggregate(where: { authorId: { equals: $a } }) { _count { _all } _avg { views } } }',
    postgraphile: {
      query: 'query Aggregate($a: Int!) { allPosts(condition: { authorId: $a }) { totalCount aggregates { average { views } } } }',
    },
    summarize: (d) => [d.postsAggregate._count._all, Math.round(d.postsAggregate._avg.views ?? 0)],
    summarizePostgraphile: (d) => [d.allPosts.totalCount, Math.round(Number(d.allPosts.aggregates.average.views ?? 0))],
  },
  {
    name: 'ownPosts',
    title: 'rule-filtered list as signed-in user (EMULATED: plain where authorId = me, not the access rules)',
    vars: (k, size) => ({ me: spread(k, size.users) }),
    cairn: 'query Own($me: Int!) { posts(where: { authorId: { equals: $me } }, orderBy: [{ id: desc }], take: 20) { id title status views } }',
    postgraphile: {
      query: 'query Own($me: Int!) { allPosts(condition: { authorId: $me }, orderBy: [ROW_ID_DESC], first: 20) { nodes { rowId title status views } } }',
    },
    summarize: (d) => ids(d.posts),
    summarizePostgraphile: (d) => ids(d.allPosts.nodes),
  },
  {
    name: 'create',
    title: 'create mutation with nested create (post + 2 comments)',
    write: true,
    // Written as the signed-in user: the example app's rules let one create posts and comments only as oneself.
    vars: (k, _size, tag) => ({
      data: {
        title: `bench post ${k}`,
        slug: `bench-${tag}-${k}`,
        authorId: benchAdminId,
        comments: { create: [{ body: 'first!', authorId: benchAdminId }, { body: 'second', authorId: benchAdminId }] },
      },
    }),
    cairn: 'mutation Create($data: PostCreateInput!) { createPost(data: $data) { id title comments { id body } } }',
    postgraphile: { na: 'no nested create in PostGraphile v5 (postgraphile-plugin-nested-mutations is v4-only)' },
    summarize: (d) => [d.createPost.title, d.createPost.comments.length],
  },
  {
    name: 'update',
    title: 'update by id',
    write: true,
    vars: (k, size) => ({ id: spread(k, size.posts), body: `edited ${k}` }),
    cairn: 'mutation Update($id: Int!, $body: String!) { updatePost(where: { id: $id }, data: { body: $body }) { id updatedAt } }',
    postgraphile: {
      // Prisma sets @updatedAt in the client; PostGraphile is given the same value explicitly.
      query: `mutation Update($id: Int!, $body: String!, $now: Datetime!) {
        updatePostByRowId(input: { rowId: $id, postPatch: { body: $body, updatedAt: $now } }) { post { rowId updatedAt } } }`,
      vars: (vars) => ({ ...vars, now: new Date().toISOString() }),
    },
    summarize: (d) => [d.updatePost.id],
    summarizePostgraphile: (d) => [d.updatePostByRowId.post.rowId],
  },
];
