import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { refused } from '../support/auth-helpers.ts';
import { dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { createInboxApp, insertNotifications, notificationRows, user, type User } from './inbox-app.ts';

const page = `query ($where: NotificationFilter, $first: Int, $after: String) {
  notifications(where: $where, first: $first, after: $after) {
    totalCount
    edges { cursor node { id type title body data url seenAt readAt archivedAt createdAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const counts = '{ notificationCounts { unseen unread total } }';
const markMutation = (name: string) => `mutation ($ids: [ID!], $all: Boolean) { ${name}(ids: $ids, all: $all) { unseen unread total } }`;

describeEachProvider('in-app inbox', (provider) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    t = await createInboxApp(provider, { CAIRN_MAX_PAGE_SIZE: '5' });
    alice = await user(t, 'alice@inbox.test');
    bob = await user(t, 'bob@inbox.test');
  });
  afterAll(() => t?.close());
  beforeEach(() => t.app.db.notification.deleteMany({}));

  const list = (who: User, variables: Record<string, unknown> = {}) => t.gql(page, variables, who.headers);

  it('lists only the viewer\'s notifications, newest first, with data as JSON', async () => {
    const [older, newer] = await insertNotifications(t, [
      { userId: alice.id, title: 'Older', data: JSON.stringify({ postId: '7' }), url: '/posts/7' },
      { userId: alice.id, title: 'Newer', type: 'securityAlert' },
    ]);
    await insertNotifications(t, [{ userId: bob.id, title: "Bob's" }]);
    const result = await list(alice);
    expect(result.errors).toBeUndefined();
    const { edges, totalCount, pageInfo } = result.data.notifications;
    expect(totalCount).toBe(2);
    expect(edges.map((e: any) => e.node.id)).toEqual([newer, older]);
    expect(edges[1].node).toMatchObject({ title: 'Older', type: 'comment', data: { postId: '7' }, url: '/posts/7', seenAt: null, readAt: null });
    expect(pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect((await list(bob)).data.notifications.edges.map((e: any) => e.node.title)).toEqual(["Bob's"]);
  });

  it('pages with stable cursors while new notifications arrive on top; first is capped like the CRUD API', async () => {
    // Two rows share a createdAt: the id breaks the tie, so no row is skipped or repeated.
    const same = '2026-01-01T00:00:00.000Z';
    const ids = await insertNotifications(t, [
      ...Array.from({ length: 5 }, (_, i) => ({ userId: alice.id, title: `n${i}` })),
      { userId: alice.id, title: 'tie-a', createdAt: same },
      { userId: alice.id, title: 'tie-b', createdAt: same },
    ]);
    const seen: string[] = [];
    let after: string | undefined;
    for (let round = 0; ; round++) {
      const result = await list(alice, { first: 2, after });
      expect(result.errors).toBeUndefined();
      const connection = result.data.notifications;
      expect(connection.totalCount).toBe(7 + round);
      seen.push(...connection.edges.map((e: any) => e.node.id));
      // Arrivals between pages do not shift the pages after the cursor.
      await insertNotifications(t, [{ userId: alice.id, title: `late${round}` }]);
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.pageInfo.hasPreviousPage).toBe(round > 0);
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen.slice(0, 5)).toEqual(ids.slice(0, 5).reverse());

    const tooMany = refused(await list(alice, { first: 6 }), 'BAD_USER_INPUT');
    expect(tooMany.message).toMatch(/first must be between 0 and 5, got 6/);
    refused(await list(alice, { first: -1 }), 'BAD_USER_INPUT');
    refused(await list(alice, { after: 'not-a-cursor' }), 'BAD_USER_INPUT');
    // No `first`: a full page of at most CAIRN_MAX_PAGE_SIZE.
    expect((await list(alice)).data.notifications.edges).toHaveLength(5);
  });

  it('filters by read, seen, archived (the archive is left out by default) and type', async () => {
    const [a, b, c, d] = await insertNotifications(t, [
      { userId: alice.id, type: 'comment' },
      { userId: alice.id, type: 'comment' },
      { userId: alice.id, type: 'securityAlert' },
      { userId: alice.id, type: 'comment' },
    ]);
    await t.gql(markMutation('markNotificationsRead'), { ids: [a] }, alice.headers);
    await t.gql(markMutation('markNotificationsSeen'), { ids: [b] }, alice.headers);
    await t.gql(markMutation('archiveNotifications'), { ids: [d] }, alice.headers);
    const ids = async (where: Record<string, unknown>) => (await list(alice, { where })).data.notifications.edges.map((e: any) => e.node.id).sort();
    expect(await ids({})).toEqual([a, b, c].sort());
    expect(await ids({ read: true })).toEqual([a]);
    expect(await ids({ read: false })).toEqual([b, c].sort());
    expect(await ids({ seen: true })).toEqual([a, b].sort());
    expect(await ids({ seen: false })).toEqual([c]);
    expect(await ids({ archived: true })).toEqual([d]);
    expect(await ids({ type: 'securityAlert' })).toEqual([c]);
    expect(await ids({ type: 'comment', read: false })).toEqual([b]);
    expect((await list(alice, { where: { read: false } })).data.notifications.totalCount).toBe(2);
  });

  it('counts unseen, unread and total without the archive; read implies seen; marks return the counts', async () => {
    const [a, b, c] = await insertNotifications(t, [{ userId: alice.id }, { userId: alice.id }, { userId: alice.id }]);
    await insertNotifications(t, [{ userId: bob.id }]);
    expect((await t.gql(counts, {}, alice.headers)).data.notificationCounts).toEqual({ unseen: 3, unread: 3, total: 3 });

    const seen = await t.gql(markMutation('markNotificationsSeen'), { ids: [a] }, alice.headers);
    expect(seen.data.markNotificationsSeen).toEqual({ unseen: 2, unread: 3, total: 3 });
    const read = await t.gql(markMutation('markNotificationsRead'), { ids: [b, b] }, alice.headers);
    expect(read.data.markNotificationsRead).toEqual({ unseen: 1, unread: 2, total: 3 });
    const rowB = await t.app.db.notification.findUnique({ where: { id: b } });
    expect(rowB.seenAt).toEqual(rowB.readAt);

    // Marking again keeps the first timestamp.
    const before = await t.app.db.notification.findUnique({ where: { id: a } });
    await t.gql(markMutation('markNotificationsSeen'), { ids: [a] }, alice.headers);
    expect((await t.app.db.notification.findUnique({ where: { id: a } })).seenAt).toEqual(before.seenAt);

    const archived = await t.gql(markMutation('archiveNotifications'), { ids: [c] }, alice.headers);
    expect(archived.data.archiveNotifications).toEqual({ unseen: 0, unread: 1, total: 2 });
    const all = await t.gql(markMutation('markNotificationsRead'), { all: true }, alice.headers);
    expect(all.data.markNotificationsRead).toEqual({ unseen: 0, unread: 0, total: 2 });
    const gone = await t.gql(markMutation('archiveNotifications'), { all: true }, alice.headers);
    expect(gone.data.archiveNotifications).toEqual({ unseen: 0, unread: 0, total: 0 });
    // Bob's inbox was not touched by alice's `all`.
    expect((await t.gql(counts, {}, bob.headers)).data.notificationCounts).toEqual({ unseen: 1, unread: 1, total: 1 });
  });

  it("never marks or archives another user's notifications: NOT_FOUND and nothing written, all or nothing", async () => {
    const [mine] = await insertNotifications(t, [{ userId: alice.id }]);
    const [bobs] = await insertNotifications(t, [{ userId: bob.id }]);
    const before = await notificationRows(t);
    for (const name of ['markNotificationsSeen', 'markNotificationsRead', 'archiveNotifications']) {
      for (const ids of [[bobs], [mine, bobs], [mine, 'no-such-id']]) {
        const error = refused(await t.gql(markMutation(name), { ids }, alice.headers), 'NOT_FOUND');
        expect(error.message).toMatch(/nothing was changed/);
      }
    }
    expect(await notificationRows(t)).toEqual(before);
    // Nor lists or counts them.
    expect((await list(alice)).data.notifications.edges.map((e: any) => e.node.id)).toEqual([mine]);
  });

  it('refuses bad selections and signed-out callers', async () => {
    for (const name of ['markNotificationsSeen', 'markNotificationsRead', 'archiveNotifications']) {
      refused(await t.gql(markMutation(name), {}, alice.headers), 'BAD_USER_INPUT');
      refused(await t.gql(markMutation(name), { ids: ['x'], all: true }, alice.headers), 'BAD_USER_INPUT');
      refused(await t.gql(markMutation(name), { all: false }, alice.headers), 'BAD_USER_INPUT');
      refused(await t.gql(markMutation(name), { all: true }), 'UNAUTHENTICATED');
    }
    refused(await t.gql(markMutation('markNotificationsSeen'), { ids: Array.from({ length: 1001 }, (_, i) => `id${i}`) }, alice.headers), 'BAD_USER_INPUT');
    refused(await t.gql(page), 'UNAUTHENTICATED');
    refused(await t.gql(counts), 'UNAUTHENTICATED');
  });

  it('reads a page in one statement (plus one for totalCount) and the counts in one, however many rows', async () => {
    await insertNotifications(t, Array.from({ length: 12 }, () => ({ userId: alice.id, data: '{"k":"v"}' })));
    const notificationStatements = async (query: string) => {
      t.resetQueries();
      const result = await t.gql(query, {}, alice.headers);
      expect(result.errors).toBeUndefined();
      return dataStatements(t.queries).filter((q) => q.includes('Notification')).length;
    };
    expect(await notificationStatements('{ notifications(first: 5) { edges { node { id data } } } }')).toBe(1);
    expect(await notificationStatements('{ notifications(first: 5) { totalCount edges { node { id } } } }')).toBe(2);
    expect(await notificationStatements('{ notificationCounts { unseen unread total } }')).toBe(1);
  });

  it('is not reachable through the generated API: the models are hidden', async () => {
    for (const query of ['{ notificationsCount }', '{ pushDevices { id } }', '{ notificationPreferences { userId } }', 'mutation { createNotification(data: {}) { id } }']) {
      refused(await t.gql(query, {}, alice.headers), 'BAD_USER_INPUT');
    }
  });
});
