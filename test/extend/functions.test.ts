import { afterAll, beforeAll, expect, it } from 'vitest';
import { printSdl } from '../../src/schema/index.ts';
import { describeEachProvider, testViewerHeader, type TestApp } from '../support/test-app.ts';
import { createFunctionsApp } from './functions-app.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { runs } from './fixtures/blog-functions.ts';

const as = (id: number, roles: string[] = ['user']) => ({ [testViewerHeader]: JSON.stringify({ id, roles }) });

describeEachProvider('app code: custom fields, routes, plugins', (provider) => {
  let t: TestApp;
  let prod: TestApp;
  const logged: unknown[] = [];
  let author: number;
  let other: number;
  let draft: number;

  beforeAll(async () => {
    runs.splice(0); // shared by the suites of both providers (one process); row ids repeat
    t = await createFunctionsApp(provider);
    // Production refuses to boot without a storage secret (read from the process environment).
    const storageSecret = process.env.CAIRN_STORAGE_SECRET;
    process.env.CAIRN_STORAGE_SECRET = 'functions-suite-storage-secret-0123456789';
    prod = await createFunctionsApp(provider, { NODE_ENV: 'production', CAIRN_SYNC_SCHEMA: 'push', PUBLIC_URL: 'http://cairn.test', CAIRN_GRAPHIQL: 'false' }, logged);
    if (storageSecret === undefined) delete process.env.CAIRN_STORAGE_SECRET;
    else process.env.CAIRN_STORAGE_SECRET = storageSecret;
    const db = t.app.db;
    author = (await db.user.create({ data: { email: 'author@example.com' } })).id;
    other = (await db.user.create({ data: { email: 'other@example.com' } })).id;
    draft = (await db.post.create({ data: { title: 'Draft', slug: 'draft', authorId: author } })).id;
  });
  afterAll(async () => {
    await t?.close();
    await prod?.close();
  });

  it('custom fields are in the SDL like generated ones, with who may call them', () => {
    const sdl = printSdl(t.app.schema);
    expect(sdl).toContain('publishPostNow(id: Int!): Post!');
    expect(sdl).toMatch(/Publishes a draft and tells its followers\.\s+Requires: signed in\.\s*"""\s*publishPostNow/);
    expect(sdl).toMatch(/Requires: role admin\.\s*"""\s*postCountForAdmins: Int!/);
  });

  it('auth: signedIn refuses anonymous callers before the resolver runs', async () => {
    const result = await t.gql(`mutation { publishPostNow(id: ${draft}) { id } }`);
    expect(result.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(/Mutation\.publishPostNow: sign in first/);
    expect((await t.app.db.post.findUnique({ where: { id: draft } })).status).toBe('DRAFT');
  });

  it('the resolver runs with the viewer\'s rules: another user cannot publish the post', async () => {
    const result = await t.gql(`mutation { publishPostNow(id: ${draft}) { id } }`, {}, as(other));
    expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.app.db.post.findUnique({ where: { id: draft } })).status).toBe('DRAFT');
  });

  it('the author publishes: the selection resolves and the job enqueued in the transaction runs once', async () => {
    const result = await t.gql(`mutation { publishPostNow(id: ${draft}) { id status author { email } } }`, {}, as(author));
    expect(result.errors).toBeUndefined();
    expect(result.data.publishPostNow).toEqual({ id: draft, status: 'PUBLISHED', author: { email: 'author@example.com' } });
    const run = await eventually(() => runs.find((r) => (r.payload as { postId: number }).postId === draft && (r.payload as { title?: string }).title === 'Draft'));
    expect(run.attempt).toBe(1);
    const again = await t.gql(`mutation { publishPostNow(id: ${draft}) { id } }`, {}, as(author));
    expect(again.errors?.[0]?.message).toMatch(/already published/);
  });

  it('auth: a role, and a function of the context', async () => {
    expect((await t.gql('{ postCountForAdmins }', {}, as(author))).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('{ postCountForAdmins }', {}, as(author, ['user', 'admin']))).data?.postCountForAdmins).toBeGreaterThanOrEqual(1);
    expect((await t.gql('{ checkedByFunction }', {}, as(author))).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('{ checkedByFunction }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await t.gql('{ checkedByFunction }', {}, { 'x-magic': 'please' })).data?.checkedByFunction).toBe('let in');
  });

  it('a function that throws: masked and coded in production, logged with its stack', async () => {
    const result = await prod.gql('{ explode }');
    expect(result.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(result)).not.toContain('kaboom');
    const error = logged.find((e) => e instanceof Error && e.message.startsWith('kaboom')) as Error;
    expect(error.stack).toContain('blog-functions.ts');
  });

  it('routes get the raw body and the viewer; a throwing route answers a coded, masked error and is logged', async () => {
    const body = '{"id":"evt_1",  "spacing":"kept"}';
    const response = await t.fetch('/functions/echo', { method: 'POST', body, headers: { 'x-signature': 'sig', ...as(other) } });
    expect(await response.json()).toEqual({ raw: body, signature: 'sig', viewer: other });
    const failed = await prod.fetch('/functions/fail', { method: 'POST', body: '{}' });
    expect(failed.status).toBe(500);
    const json = await failed.json();
    expect(json).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Route POST /functions/fail failed unexpectedly.' } });
    expect(logged.some((e) => e instanceof Error && e.message === 'route exploded with a secret')).toBe(true);
    expect((await t.fetch('/functions/echo', { method: 'GET' })).status).toBe(404);
  });

  it('the app\'s yoga plugins run on every response', async () => {
    const response = await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(response.headers.get('x-app-plugin')).toBe('on');
  });
});
