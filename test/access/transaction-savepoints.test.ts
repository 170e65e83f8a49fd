import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { badInput } from '../../src/errors.ts';
import type { ChangeEvent, WriteObserver } from '../../src/events/index.ts';
import { createTestApp, dataStatements, describeEachProvider, type GraphQLResponse, type TestApp } from '../support/test-app.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';
import { scenarios, type Scenario } from './fixtures/savepoint-functions.ts';
import { ok } from './run-matrix.ts';

const functionsPath = fileURLToPath(new URL('./fixtures/savepoint-functions.ts', import.meta.url));

type Row = Record<string, any>;

/**
 * Writes inside app code's `ctx.db.$transaction`: each policy-client write there runs in a
 * savepoint, so one that fails half-way and is caught leaves none of its rows in the transaction
 * and none of its change events in what beforeCommit observers see and what is published after
 * COMMIT. The example app with its own rules and bob signed in; the scenarios run in a custom
 * mutation's resolver, on the `ctx.db` every resolver gets.
 */
describeEachProvider('transaction savepoints', (provider) => {
  let t: TestApp;
  let s: BlogScene;
  const staged: ChangeEvent[][] = [];
  const committed: ChangeEvent[][] = [];
  // Scoped to the models the scenarios write (signing in writes sessions).
  const observer: WriteObserver = {
    models: ['Post', 'Comment', 'Club', 'Membership'],
    beforeCommit: async (changes) => void staged.push([...changes]),
    afterCommit: (changes) => void committed.push([...changes]),
  };
  beforeAll(async () => {
    t = await createTestApp('blog', provider, { CAIRN_FUNCTIONS: functionsPath }, { observers: [observer] });
    s = await blogScene(t);
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    staged.splice(0);
    committed.splice(0);
  });

  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;
  const db = () => t.app.db as any;
  /** Runs `scenario` in bob's request (a mutation's resolver, its `ctx`). */
  const asBob = async (scenario: Scenario): Promise<GraphQLResponse> => {
    const name = unique('scenario');
    scenarios.set(name, scenario);
    try {
      return await t.gql(`mutation { runScenario(name: "${name}") }`, {}, s.users.bob.headers);
    } finally {
      scenarios.delete(name);
    }
  };
  const result = (response: GraphQLResponse) => JSON.parse(ok(response).runScenario);
  /** The error a promise rejects with (null when it resolves), as its code and message. */
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: any) => ({ code: error?.extensions?.code ?? error?.code, message: String(error?.message) }),
    );
  const summary = (batches: ChangeEvent[][]) => batches.map((batch) => batch.map((e) => [e.model, e.kind, e.key]));
  /** bob's post with a nested comment of his, then one in alice's name: Comment.create refuses the second after the post and first comment are inserted. */
  const halfRefusedPost = (slug: string, body: string) => ({
    data: { title: slug, slug, authorId: s.users.bob.id, comments: { create: [{ body, authorId: s.users.bob.id }, { body, authorId: s.users.alice.id }] } },
  });
  const postData = (slug: string) => ({ data: { title: slug, slug, authorId: s.users.bob.id } });

  it('a nested create refused half-way (FORBIDDEN) and caught leaves no row and no event; the next write commits alone', async () => {
    const [refused, body, kept] = [unique('refused'), unique('body'), unique('kept')];
    const outcome = result(
      await asBob((ctx) =>
        ctx.db.$transaction(async (tx: any) => {
          const error = await failure(tx.post.create(halfRefusedPost(refused, body)));
          const post = await tx.post.create(postData(kept));
          return { error, id: post.id };
        }),
      ),
    );
    expect(outcome.error).toEqual({ code: 'FORBIDDEN', message: 'Access denied by rule Comment.create' });
    expect(await db().post.findUnique({ where: { slug: refused } })).toBeNull();
    expect(await db().comment.count({ where: { body } })).toBe(0);
    expect(await db().post.findUnique({ where: { slug: kept } })).toMatchObject({ id: outcome.id });
    expect(summary(staged)).toEqual([[['Post', 'created', { id: outcome.id }]]]);
    expect(summary(committed)).toEqual([[['Post', 'created', { id: outcome.id }]]]);
  });

  it('a unique violation in a nested create or an updateMany, caught, undoes that write only (and PostgreSQL goes on)', async () => {
    const [club, title] = [unique('club'), unique('title')];
    const slugs = async () => (await db().post.findMany({ where: { authorId: s.users.bob.id }, orderBy: { id: 'asc' } })).map((p: Row) => p.slug);
    const slugsBefore = await slugs();
    expect(slugsBefore.length).toBeGreaterThan(1);
    const outcome = result(
      await asBob((ctx) =>
        ctx.db.$transaction(async (tx: any) => {
          // The club and its first membership are inserted; the second membership is the same (clubId, userId).
          const nested = await failure(tx.club.create({ data: { name: club, ownerId: s.users.bob.id, members: { create: [{ userId: s.users.bob.id }, { userId: s.users.bob.id }] } } }));
          // Every post of bob's gets the same slug: the second row violates Post.slug's unique index.
          const many = await failure(tx.post.updateMany({ where: { authorId: s.users.bob.id }, data: { slug: unique('same') } }));
          const updated = await tx.post.update({ where: { id: s.posts.bobDraft.id }, data: { title } });
          return { nested, many, id: updated.id };
        }),
      ),
    );
    expect(outcome.nested.code).toBe('P2002');
    expect(outcome.many.code).toBe('P2002');
    expect(await db().club.findUnique({ where: { name: club } })).toBeNull();
    expect(await db().membership.count({ where: { club: { name: club } } })).toBe(0);
    expect(await slugs()).toEqual(slugsBefore);
    expect((await db().post.findUnique({ where: { id: s.posts.bobDraft.id } })).title).toBe(title);
    expect(summary(staged)).toEqual([[['Post', 'updated', { id: s.posts.bobDraft.id }]]]);
    expect(summary(committed)).toEqual(summary(staged));
  });

  it('a caught failure in a nested $transaction undoes that block only; a nested block that succeeds stays', async () => {
    const [outer, inner, kept, after] = [unique('outer'), unique('inner'), unique('inner-kept'), unique('after')];
    const outcome = result(
      await asBob((ctx) =>
        ctx.db.$transaction(async (tx: any) => {
          await tx.post.create(postData(outer));
          const error = await failure(
            tx.$transaction(async (block: any) => {
              await block.post.create(postData(inner));
              throw badInput('changed my mind');
            }),
          );
          await tx.$transaction(async (block: any) => block.post.create(postData(kept)));
          await tx.post.create(postData(after));
          return { error };
        }),
      ),
    );
    expect(outcome.error).toEqual({ code: 'BAD_USER_INPUT', message: 'changed my mind' });
    const written = await db().post.findMany({ where: { slug: { in: [outer, inner, kept, after] } }, orderBy: { id: 'asc' } });
    expect(written.map((p: Row) => p.slug)).toEqual([outer, kept, after]);
    const expected = [written.map((p: Row) => ['Post', 'created', { id: p.id }])];
    expect(summary(staged)).toEqual(expected);
    expect(summary(committed)).toEqual(expected);
  });

  it('writes started together in a transaction take turns: the refused one leaves nothing, the other commits', async () => {
    const [refused, body, kept] = [unique('refused'), unique('body'), unique('kept')];
    const outcome = result(
      await asBob((ctx) =>
        ctx.db.$transaction(async (tx: any) => {
          const [error, post] = await Promise.all([failure(tx.post.create(halfRefusedPost(refused, body))), tx.post.create(postData(kept))]);
          return { error, id: post.id };
        }),
      ),
    );
    expect(outcome.error.code).toBe('FORBIDDEN');
    expect(await db().post.findUnique({ where: { slug: refused } })).toBeNull();
    expect(await db().comment.count({ where: { body } })).toBe(0);
    expect(await db().post.findUnique({ where: { slug: kept } })).toMatchObject({ id: outcome.id });
    expect(summary(committed)).toEqual([[['Post', 'created', { id: outcome.id }]]]);
  });

  it('an uncaught failure still rolls the whole transaction back, publishing nothing', async () => {
    const [first, refused, body] = [unique('first'), unique('refused'), unique('body')];
    const response = await asBob((ctx) =>
      ctx.db.$transaction(async (tx: any) => {
        await tx.post.create(postData(first));
        await tx.post.create(halfRefusedPost(refused, body));
      }),
    );
    expect(response.errors?.map((e) => [e.extensions.code, e.message])).toEqual([['FORBIDDEN', 'Access denied by rule Comment.create']]);
    expect(await db().post.count({ where: { slug: { in: [first, refused] } } })).toBe(0);
    expect(await db().comment.count({ where: { body } })).toBe(0);
    expect(staged).toEqual([]);
    expect(committed).toEqual([]);
  });

  it('a write outside a transaction sends the statements it did before; inside one, the same between SAVEPOINT and RELEASE', async () => {
    const [alone, inTx] = [unique('alone'), unique('in-tx')];
    const outcome = result(
      await asBob(async (ctx) => {
        t.resetQueries();
        await ctx.db.post.create(postData(alone));
        const outside = [...t.queries];
        const inside = await ctx.db.$transaction(async (tx: any) => {
          t.resetQueries();
          await tx.post.create(postData(inTx));
          return [...t.queries];
        });
        return { outside, inside };
      }),
    );
    const { outside, inside } = outcome as { outside: string[]; inside: string[] };
    // Change capture's transaction (Prisma logs no BEGIN), the INSERT with the create rule settled
    // by the data, returning the selection (no read-back), COMMIT.
    const verbs = (queries: string[]) => queries.map((q) => q.split(/\s/)[0]);
    expect(verbs(outside)).toEqual(['INSERT', 'COMMIT']);
    expect(inside[0]).toMatch(/^SAVEPOINT cairn_sp_\d+$/);
    expect(inside.slice(1)).toEqual([...dataStatements(outside), inside[0]!.replace('SAVEPOINT', 'RELEASE SAVEPOINT')]);
  });
});
