/**
 * Compiled (never run) by test/codegen.test.ts: proves the generated documents carry result and
 * variable types. Each `@ts-expect-error` must stay an error, or tsc fails the test.
 */
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { LatestPostsDocument, CreatePostDocument } from './generated/graphql.ts';

type Latest = ResultOf<typeof LatestPostsDocument>;
// Nullable: the example app's rules hide e-mail addresses from other users.
export function firstAuthorEmail(result: Latest): string | null | undefined {
  const post = result.posts[0];
  const count: number | undefined = post?.commentsCount;
  void count;
  // @ts-expect-error body was not selected, so it is not in the result type
  void post?.body;
  return post?.author.email;
}

export const variables: VariablesOf<typeof LatestPostsDocument> = { take: 5, status: 'PUBLISHED' };
// @ts-expect-error DELETED is not a PostStatus
export const badStatus: VariablesOf<typeof LatestPostsDocument> = { status: 'DELETED' };

export const createVariables: VariablesOf<typeof CreatePostDocument> = {
  data: { title: 'Typed', slug: 'typed', authorId: 1 },
};
// @ts-expect-error title is required by PostCreateInput
export const missingTitle: VariablesOf<typeof CreatePostDocument> = { data: { slug: 'x', authorId: 1 } };
