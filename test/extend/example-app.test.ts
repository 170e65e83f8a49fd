import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { createReceiver } from '../jobs/webhook-receiver.ts';
import { createFunctionsApp } from './functions-app.ts';

const exampleFunctions = fileURLToPath(new URL('../../examples/blog/functions/index.ts', import.meta.url));
const secret = `whsec_${Buffer.from('example-app-secret-0123456789').toString('base64')}`;

/** The example app as it ships: prisma/schema.prisma plus functions/index.ts, with its webhook's variables set. */
describeEachProvider('example app code', (provider) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof createReceiver>>;
  const logged: unknown[] = [];
  beforeAll(async () => {
    receiver = await createReceiver();
    // Webhook URLs and secrets are read from the process environment, as in production.
    process.env.POST_WEBHOOK_URL = receiver.url('/posts');
    process.env.POST_WEBHOOK_SECRET = secret;
    t = await createFunctionsApp(provider, { ...authEnv, CAIRN_FUNCTIONS: exampleFunctions }, logged, { viewerHeader: false });
  });
  afterAll(async () => {
    delete process.env.POST_WEBHOOK_URL;
    delete process.env.POST_WEBHOOK_SECRET;
    await t?.close();
    await receiver?.close();
  });

  it('sign-up sends a welcome e-mail from a job, once', async () => {
    await signUp(t, 'welcome@example.org');
    const mail = await eventually(() => t.app.auth!.outbox!.messages.find((m) => m.to === 'welcome@example.org' && m.subject === 'Welcome to the blog'));
    expect(mail.text).toContain('thanks for signing up');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.app.auth!.outbox!.messages.filter((m) => m.subject === 'Welcome to the blog' && m.to === 'welcome@example.org')).toHaveLength(1);
  });

  it('publishPost: checks beyond CRUD, the viewer\'s rules, followers e-mailed, the webhook on Post delivered', async () => {
    const writer = await signUp(t, 'writer@example.org');
    const fan = await signUp(t, 'fan@example.org');
    const stranger = await signUp(t, 'stranger@example.org');
    await t.app.db.follow.create({ data: { followerId: fan.id, followingId: writer.id } });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const draft = await t.gql('mutation($data: PostCreateInput!) { createPost(data: $data) { id } }', { data: { title: 'My first post', slug: 'first', body: 'short', author: { connect: { id: writer.id } } } }, bearer(writer.token));
    expect(draft.errors, JSON.stringify(draft.errors)).toBeUndefined();
    const id = draft.data.createPost.id;
    const publish = `mutation { publishPost(id: ${id}) { id status publishedAt } }`;
    expect((await t.gql(publish)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(publish, {}, bearer(stranger.token))).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await t.gql(publish, {}, bearer(writer.token))).errors?.[0]?.message).toMatch(/at least 20 characters/);
    await t.gql(`mutation { updatePost(where: { id: ${id} }, data: { body: "A body that is long enough to publish." }) { id } }`, {}, bearer(writer.token));
    const published = await t.gql(publish, {}, bearer(writer.token));
    expect(published.errors).toBeUndefined();
    expect(published.data.publishPost).toMatchObject({ id, status: 'PUBLISHED' });
    expect((await t.gql(publish, {}, bearer(writer.token))).errors?.[0]?.message).toMatch(/only drafts are published/);
    await eventually(() => t.app.auth!.outbox!.messages.find((m) => m.to === 'fan@example.org' && m.text === 'My first post'));
    const hook = await eventually(() => receiver.received.find((r) => { const b = JSON.parse(r.body); return b.data.key.id === id && b.data.after?.status === 'PUBLISHED'; }));
    const headers = Object.fromEntries(Object.entries(hook.headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(secret).verify(hook.body, headers)).toMatchObject({ type: 'Post.updated' });
  });

  it('the nightly schedule is a job like any other (its handler cleans expired sessions)', async () => {
    const user = (await t.app.db.user.findFirst({ where: { email: 'writer@example.org' } }))!;
    await t.app.db.session.create({ data: { id: 'expired-session', userId: user.id, expiresAt: new Date(Date.now() - 1000) } });
    const id = await t.app.jobs!.enqueue('nightlyCleanup', { tick: new Date().toISOString() });
    await eventually(async () => (await t.app.jobs!.get('nightlyCleanup', id!))?.state === 'completed');
    expect(await t.app.db.session.findUnique({ where: { id: 'expired-session' } })).toBeNull();
  });
});
