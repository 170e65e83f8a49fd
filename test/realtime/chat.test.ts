import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { mutations, untilOperations, untilStreams, wsClients } from './realtime-helpers.ts';

describeEachProvider('realtime: the example chat (only members read messages)', (provider) => {
  let t: TestApp;
  let url: string;
  let by: (name: 'alice' | 'bob' | 'carol') => ReturnType<ReturnType<typeof mutations>>;
  const users: Record<'alice' | 'bob' | 'carol', { token: string; id: number }> = {} as never;
  const ws = wsClients(() => url);
  const as = (name: keyof typeof users) => ws.connect({ authorization: `Bearer ${users[name].token}` });
  let chat: { id: number };
  let other: { id: number };

  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv);
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    for (const name of ['alice', 'bob', 'carol'] as const) users[name] = await signUp(t, `${name}@example.org`);
    const as = mutations(t.gql);
    by = (name) => as(users[name].token);
    chat = await by('alice').create('Conversation', { title: 'alice & bob', startedById: users.alice.id });
    for (const member of ['alice', 'bob'] as const) await by('alice').create('ConversationMember', { conversationId: chat.id, userId: users[member].id });
    other = await by('carol').create('Conversation', { title: 'carol alone', startedById: users.carol.id });
    await by('carol').create('ConversationMember', { conversationId: other.id, userId: users.carol.id });
  });
  afterEach(async () => {
    await ws.disposeAll();
    await untilOperations(t.app, 0);
  });
  afterAll(() => t.close());

  const query = 'subscription { messageChanged { kind node { body author { id } conversation { title } } } }';

  it('a member receives the message with its relations; a non-member never does', async () => {
    const alice = ws.subscribe(as('alice'), query);
    const bob = ws.subscribe(as('bob'), query);
    const carol = ws.subscribe(as('carol'), query);
    const anonymous = ws.subscribe(ws.connect(), query);
    await untilStreams(t.app, 4);
    const message = await by('alice').create('Message', { body: 'hi bob', conversationId: chat.id, authorId: users.alice.id });
    const expected = { messageChanged: { kind: 'CREATED', node: { body: 'hi bob', author: { id: users.alice.id }, conversation: { title: 'alice & bob' } } } };
    expect((await alice.until(1))[0]!.data).toEqual(expected);
    expect((await bob.until(1))[0]!.data).toEqual(expected);
    // Carol's own conversation reaches her, so her stream was live when bob's message passed.
    await by('carol').create('Message', { body: 'note to self', conversationId: other.id, authorId: users.carol.id });
    expect((await carol.until(1)).map((r) => r.data.messageChanged.node.body)).toEqual(['note to self']);

    // Deleting the message: members are told (their rule is checked against the row as it was).
    await by('alice').delete('Message', message.id);
    expect((await bob.until(2))[1]!.data.messageChanged).toMatchObject({ kind: 'DELETED', node: { body: 'hi bob' } });
    await by('carol').create('Message', { body: 'again', conversationId: other.id, authorId: users.carol.id });
    expect((await carol.until(2)).map((r) => r.data.messageChanged.node.body)).toEqual(['note to self', 'again']);
    expect(JSON.stringify([carol.results, anonymous.results])).not.toContain('hi bob');
    expect(anonymous.results).toEqual([]);
  });

  it('joining a conversation makes its later messages visible; leaving stops them', async () => {
    const carol = ws.subscribe(as('carol'), 'subscription { messageCreated { body } }');
    await untilStreams(t.app, 1);
    await by('bob').create('Message', { body: 'before carol', conversationId: chat.id, authorId: users.bob.id });
    const membership = await by('alice').create('ConversationMember', { conversationId: chat.id, userId: users.carol.id });
    await by('bob').create('Message', { body: 'welcome carol', conversationId: chat.id, authorId: users.bob.id });
    expect((await carol.until(1)).map((r) => r.data.messageCreated.body)).toEqual(['welcome carol']);
    await by('carol').delete('ConversationMember', membership.id);
    await by('bob').create('Message', { body: 'carol left', conversationId: chat.id, authorId: users.bob.id });
    await by('carol').create('Message', { body: 'self', conversationId: other.id, authorId: users.carol.id });
    expect((await carol.until(2)).map((r) => r.data.messageCreated.body)).toEqual(['welcome carol', 'self']);
  });
});
