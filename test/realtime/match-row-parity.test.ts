import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSubscriberRules, resolveRules, type Viewer } from '../../src/access/index.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { createRowMatcher } from '../../src/realtime/match-row.ts';
import { fixtures } from '../support/fixtures.ts';
import { createTestApp, dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';

/**
 * Realtime decides read rules against change events' row images, asking the database once per
 * event for all subscribers. The database is the reference: for every row of the models whose
 * rules go through relations, every viewer's verdict must equal `findFirst({ where: { AND: [key,
 * rule] } })`, and the statements one row costs must not grow with the number of viewers.
 */
describeEachProvider('realtime: relation rules decided for many viewers at once equal the database', (provider) => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  let viewers: (Viewer | null)[];

  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    const db = t.app.db as any;
    for (const name of ['ann', 'ben', 'cat', 'dan', 'eve', 'fay']) ids[name] = (await db.user.create({ data: { email: `${name}@example.org`, name } })).id;
    const clubs = [
      { name: 'open', private: false, owner: 'ann', members: [['ben', 'member'], ['cat', 'moderator']] },
      { name: 'secret', private: true, owner: 'dan', members: [['eve', 'moderator'], ['ann', 'member']] },
      { name: 'empty', private: true, owner: 'fay', members: [] },
    ] as const;
    for (const club of clubs) {
      const { id } = await db.club.create({ data: { name: club.name, private: club.private, ownerId: ids[club.owner] } });
      for (const [user, role] of club.members) await db.membership.create({ data: { clubId: id, userId: ids[user], role } });
    }
    const chats = [
      { title: 'ann+ben', starter: 'ann', members: ['ann', 'ben'], messages: [['ann', 'hi'], ['ben', 'yo']] },
      { title: 'cat solo', starter: 'cat', members: ['cat'], messages: [['cat', 'note']] },
      { title: 'nobody', starter: 'dan', members: [], messages: [['dan', 'void']] },
    ] as const;
    for (const chat of chats) {
      const { id } = await db.conversation.create({ data: { title: chat.title, startedById: ids[chat.starter] } });
      for (const user of chat.members) await db.conversationMember.create({ data: { conversationId: id, userId: ids[user] } });
      for (const [author, body] of chat.messages) await db.message.create({ data: { conversationId: id, authorId: ids[author], body } });
    }
    for (const [slug, status, author] of [['p1', 'PUBLISHED', 'ann'], ['p2', 'DRAFT', 'ben'], ['p3', 'ARCHIVED', 'cat']] as const) {
      const post = await db.post.create({ data: { slug, title: slug, body: 'b', status, authorId: ids[author] } });
      for (const commenter of ['ann', 'eve']) await db.comment.create({ data: { postId: post.id, authorId: ids[commenter], body: 'c' } });
    }
    viewers = [null, ...Object.values(ids).map((id) => ({ id, roles: ['user'] })), { id: 999_999, roles: ['user', 'admin'] }];
  });
  afterAll(() => t?.close());

  // Beyond the schema's read rules: shapes rules may take (to-one is/isNot, none, every, ANDed and ORed conditions).
  const extra: Record<string, ((id: number) => object)[]> = {
    Club: [
      (id) => ({ members: { none: { userId: id } } }),
      () => ({ members: { every: { role: 'member' } } }),
      (id) => ({ members: { some: { userId: id, role: 'moderator' } } }),
      (id) => ({ members: { some: { OR: [{ userId: id }, { role: { in: ['owner'] } }] } } }),
    ],
    Membership: [
      (id) => ({ club: { is: { private: true, members: { some: { userId: id } } } } }),
      (id) => ({ club: { isNot: { ownerId: id } } }),
      (id) => ({ club: { NOT: { members: { some: { userId: id, role: 'moderator' } } } } }),
      () => ({ club: { is: { name: { startsWith: 'se' } } } }),
    ],
    Message: [(id) => ({ conversation: { is: { OR: [{ startedById: id }, { members: { some: { userId: id } } }] } } }), (id) => ({ conversation: { members: { none: { userId: id } } } })],
  };

  it('every viewer gets the database verdict, at a cost per row that does not grow with the viewers', async () => {
    const { datamodel } = await loadGenerated(fixtures.blog.generated, provider);
    const rules = createSubscriberRules(resolveRules(datamodel));
    const matcher = createRowMatcher(t.app.db, rules.info, provider);
    const db = t.app.db as any;
    let checked = 0;
    for (const name of ['Message', 'ConversationMember', 'Conversation', 'Membership', 'Club', 'Comment']) {
      const model = rules.info.model(name);
      const delegate = db[rules.info.delegate(model)];
      const filters = viewers.flatMap((viewer) => [
        { viewer, filter: rules.forViewer(viewer).model(name, 'read') },
        ...(extra[name] ?? []).map((build) => ({ viewer, filter: build(Number(viewer?.id ?? 0)) })),
      ]);
      for (const row of await delegate.findMany({ select: rules.info.scalarSelect(model) })) {
        // One event: every subscriber's check at once, sharing the event's probes.
        const probes = new Map();
        t.resetQueries();
        const verdicts = await Promise.all(filters.map(({ filter }) => matcher.matches(model, filter as never, row, probes)));
        const cost = dataStatements(t.queries).length;
        const truth = await Promise.all(
          filters.map(async ({ filter }) => (typeof filter === 'boolean' ? filter : (await delegate.findFirst({ where: { AND: [rules.info.keyFilter(model, row), filter] } })) !== null)),
        );
        expect(verdicts.map((v, i) => ({ viewer: filters[i]!.viewer?.id ?? null, filter: filters[i]!.filter, v })), `${name} ${JSON.stringify(row)}`).toEqual(
          truth.map((v, i) => ({ viewer: filters[i]!.viewer?.id ?? null, filter: filters[i]!.filter, v })),
        );
        // Per row: the linked row's columns once, and one statement per distinct relation condition shape.
        expect(cost, `${name} ${JSON.stringify(row)}: ${t.queries.join('\n')}`).toBeLessThanOrEqual(name in extra ? 8 : 2);
        checked += filters.length;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });
});
