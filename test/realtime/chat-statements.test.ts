import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { mutations, untilOperations, untilStreams, wsClients, type Stream } from './realtime-helpers.ts';

/**
 * The cost of a relation rule (`Message`: `conversation.members?[userId == auth().id]`) for
 * realtime: one statement per event for all subscribers, not one per signed-in viewer.
 */
describeEachProvider('realtime: relation read rules cost one statement per event', (provider) => {
  const N = 4;
  const M = 3;
  let t: TestApp;
  let url: string;
  let as: ReturnType<typeof mutations>;
  const ws = wsClients(() => url);
  const members: { token: string; id: number }[] = [];
  const others: { token: string; id: number }[] = [];
  let chat: { id: number };
  let elsewhere: { id: number };
  const memberStatements = () => t.queries.filter((q) => /ConversationMember/.test(q));

  beforeAll(async () => {
    // No periodic session re-check while statements are counted.
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_SUBSCRIPTION_RECHECK_MS: '3600000' });
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    as = mutations(t.gql);
    for (let i = 0; i < N; i++) members.push(await signUp(t, `member${i}@example.org`));
    for (let i = 0; i < M; i++) others.push(await signUp(t, `other${i}@example.org`));
    chat = await as(members[0]!.token).create('Conversation', { title: 'members', startedById: members[0]!.id });
    for (const user of members) await as(members[0]!.token).create('ConversationMember', { conversationId: chat.id, userId: user.id });
    elsewhere = await as(others[0]!.token).create('Conversation', { title: 'others', startedById: others[0]!.id });
    for (const user of others) await as(others[0]!.token).create('ConversationMember', { conversationId: elsewhere.id, userId: user.id });
  });
  afterEach(async () => {
    await ws.disposeAll();
    await untilOperations(t.app, 0);
  });
  afterAll(() => t.close());

  /**
   * One message in each conversation, the second written once every member has the first. The
   * mutations' own rule checks read ConversationMember too; they are the same in both phases.
   */
  async function twoMessages(label: string, streams?: { members: Stream[]; others: Stream[] }) {
    t.resetQueries();
    await as(members[1]!.token).create('Message', { body: `${label} for members`, conversationId: chat.id, authorId: members[1]!.id });
    if (streams) for (const s of streams.members) await s.until(1);
    await as(others[1]!.token).create('Message', { body: `${label} for others`, conversationId: elsewhere.id, authorId: others[1]!.id });
    // Every subscriber checked the second event in the batch the others' deliveries came from.
    if (streams) for (const s of streams.others) await s.until(1);
    return memberStatements();
  }

  it(`${N} member and ${M} non-member subscribers: 1 check statement per event; each side receives only its own conversation's message`, async () => {
    const baseline = await twoMessages('unwatched');

    // (A selected `conversation` would be read through each viewer's own client, its rules included: a cost per viewer, not a check.)
    const query = 'subscription { messageCreated { body author { id } } }';
    const streams = {
      members: members.map((m) => ws.subscribe(ws.connect({ authorization: `Bearer ${m.token}` }), query)),
      others: others.map((m) => ws.subscribe(ws.connect({ authorization: `Bearer ${m.token}` }), query)),
    };
    const anonymous = ws.subscribe(ws.connect(), query);
    await untilStreams(t.app, N + M + 1);
    const watched = await twoMessages('watched', streams);

    // Two events, two statements beyond what the mutations themselves run.
    if (process.env.SHOW_SQL) console.log(watched.slice(baseline.length === 0 ? 0 : 0).join('\n---\n'));
    expect(watched.length - baseline.length).toBe(2);
    for (const s of streams.members) expect(s.results.map((r) => r.data.messageCreated)).toEqual([{ body: 'watched for members', author: { id: members[1]!.id } }]);
    for (const s of streams.others) expect(s.results.map((r) => r.data.messageCreated)).toEqual([{ body: 'watched for others', author: { id: others[1]!.id } }]);
    expect(anonymous.results).toEqual([]);
  });
});
