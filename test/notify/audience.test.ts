import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveRules } from '../../src/access/index.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { createAudienceResolver, type AudienceResolver } from '../../src/notify/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { createTestApp, dataStatements, describeEachProvider, testViewerHeader, type TestApp } from '../support/test-app.ts';

const lower = (model: string) => model[0]!.toLowerCase() + model.slice(1);

/**
 * `readersOf` audiences against the API itself: for every row of every ruled model, the users the
 * resolver finds are exactly those whose `model(where: { id })` query returns the row.
 */
describeEachProvider('readersOf audiences', (provider) => {
  let t: TestApp;
  let resolver: AudienceResolver;
  const users: { id: number; roles: string[] }[] = [];
  const rows: Record<string, number[]> = {};

  beforeAll(async () => {
    t = await createTestApp('blog', provider, {}, { viewerHeader: true });
    resolver = createAudienceResolver(t.app.db, resolveRules((await loadGenerated(fixtures.blog.generated, provider)).datamodel));
    const db = t.app.db as any;
    for (const [i, roles] of [['user'], ['user'], ['user'], ['user', 'admin'], ['user'], ['user']].entries()) {
      users.push({ id: (await db.user.create({ data: { email: `a${i}@example.org`, roles: roles.join(',') } })).id, roles });
    }
    const [u0, u1, u2, , u4, u5] = users.map((u) => u.id);
    const posts = [
      await db.post.create({ data: { title: 'draft', slug: 'd', body: 'b', status: 'DRAFT', authorId: u0 } }),
      await db.post.create({ data: { title: 'pub', slug: 'p', body: 'b', status: 'PUBLISHED', authorId: u1 } }),
    ];
    rows.Post = posts.map((p) => p.id);
    rows.Comment = [
      (await db.comment.create({ data: { body: 'c', postId: posts[0].id, authorId: u2 } })).id,
      (await db.comment.create({ data: { body: 'c', postId: posts[1].id, authorId: u2 } })).id,
    ];
    const clubs = [
      await db.club.create({ data: { name: 'open', private: false, ownerId: u0, members: { create: [{ userId: u1 }] } } }),
      await db.club.create({ data: { name: 'secret', private: true, ownerId: u1, members: { create: [{ userId: u2, role: 'moderator' }, { userId: u4 }] } } }),
    ];
    rows.Club = clubs.map((c) => c.id);
    rows.Membership = (await db.membership.findMany({ select: { id: true } })).map((m: { id: number }) => m.id);
    const conversations = [
      await db.conversation.create({ data: { title: 'x', startedById: u0, members: { create: [{ userId: u0 }, { userId: u5 }] } } }),
      await db.conversation.create({ data: { title: 'y', startedById: u4, members: { create: [{ userId: u1 }] } } }),
    ];
    rows.Conversation = conversations.map((c) => c.id);
    rows.ConversationMember = (await db.conversationMember.findMany({ select: { id: true } })).map((m: { id: number }) => m.id);
    rows.Message = [
      (await db.message.create({ data: { body: 'm', conversationId: conversations[0].id, authorId: u0 } })).id,
      (await db.message.create({ data: { body: 'm', conversationId: conversations[1].id, authorId: u1 } })).id,
    ];
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every row of every ruled model: the audience is exactly who the API lets read it', async () => {
    for (const [model, ids] of Object.entries(rows)) {
      for (const id of ids) {
        const expected: number[] = [];
        for (const user of users) {
          const result = await t.gql(`query { ${lower(model)}(where: { id: ${id} }) { id } }`, {}, { [testViewerHeader]: JSON.stringify(user) });
          expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
          if (result.data[lower(model)]) expected.push(user.id);
        }
        const page = await resolver.page({ readersOf: { model, where: { id } } }, null, 100);
        expect(page.users.sort(), `${model} ${id}`).toEqual(expected.sort());
        // `among` narrows, never widens.
        const among = users.slice(0, 3).map((u) => u.id);
        const narrowed = await resolver.page({ readersOf: { model, where: { id } }, among: { users: among } }, null, 100);
        expect(narrowed.users.sort(), `${model} ${id} among`).toEqual(expected.filter((u) => among.includes(u)).sort());
      }
    }
  });

  it('relation rules cost the same statements for a page of 2 users as for 3 (one query per page and roles class, not per user)', async () => {
    const count = async (size: number) => {
      t.resetQueries();
      await resolver.page({ readersOf: { model: 'Message', where: { id: rows.Message![0]! } } }, null, size);
      return dataStatements(t.queries).length;
    };
    expect(await count(3)).toBe(await count(2));
    // The admin (roles class of its own: the Message rule does not mention admins) adds one query, not one per user.
    expect(await count(6)).toBeLessThanOrEqual((await count(2)) + 3);
  });

  it('a rule shape the single query cannot express (none) is asked per distinct condition, with the same answer', async () => {
    const datamodel = structuredClone((await loadGenerated(fixtures.blog.generated, provider)).datamodel);
    const conversation = datamodel.models.find((m) => m.name === 'Conversation') as unknown as { documentation: string };
    // The same rule as the schema's, spelled with a negated "none" instead of "some".
    conversation.documentation = conversation.documentation.replace('members?[userId == auth().id]', '!members^[userId == auth().id]');
    expect(conversation.documentation).toContain('members^[');
    const other = createAudienceResolver(t.app.db, resolveRules(datamodel));
    for (const id of rows.Conversation!) {
      expect((await other.page({ readersOf: { model: 'Conversation', where: { id } } }, null, 100)).users.sort()).toEqual(
        (await resolver.page({ readersOf: { model: 'Conversation', where: { id } } }, null, 100)).users.sort(),
      );
    }
  });

  it('a row that does not exist has no audience; paging goes by user id', async () => {
    expect(await resolver.page({ readersOf: { model: 'Post', where: { id: 999_999 } } }, null, 100)).toEqual({ users: [], next: null });
    const first = await resolver.page({ readersOf: { model: 'Post', where: { id: rows.Post![1]! } } }, null, 4);
    expect(first.users).toEqual(users.slice(0, 4).map((u) => u.id));
    const second = await resolver.page({ readersOf: { model: 'Post', where: { id: rows.Post![1]! } } }, first.next, 4);
    expect(second).toEqual({ users: users.slice(4).map((u) => u.id), next: null });
  });
});
