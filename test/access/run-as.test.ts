import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAsHeader } from '../../src/http/index.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';
import { forbidden, ok } from './run-matrix.ts';

/** `x-cairn-run-as`: an admin sees and does exactly what another user would, rules included. */
describeEachProvider('access rules: run as another user', (provider) => {
  let t: TestApp;
  let s: BlogScene;
  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    s = await blogScene(t);
  });
  afterAll(() => t.close());

  const asAdminRunningAs = (userId: number | string, query: string) => t.gql(query, {}, { ...s.users.admin.headers, [runAsHeader]: String(userId) });

  it("shows an admin what the user sees: the user's drafts and e-mail, not others'", async () => {
    const data = ok(await asAdminRunningAs(s.users.alice.id, '{ me { id } posts(orderBy: [{ slug: asc }]) { slug } users(orderBy: [{ id: asc }]) { id email } }'));
    expect(data.me.id).toBe(s.users.alice.id);
    expect(data.posts.map((p: { slug: string }) => p.slug)).toEqual(['alice-draft', 'alice-pub', 'bob-pub']);
    const emails = data.users.filter((u: { email: string | null }) => u.email).map((u: { id: number }) => u.id);
    expect(emails).toEqual([s.users.alice.id]);
  });

  it("runs mutations with the user's permissions, not the admin's", async () => {
    const response = await asAdminRunningAs(s.users.alice.id, `mutation { updatePost(where: { id: ${s.posts.bobPub.id} }, data: { title: "x" }) { id } }`);
    expect(forbidden(response).extensions.rule).toMatchObject({ viewer: { id: s.users.alice.id, roles: ['user'] } });
    ok(await t.gql(`mutation { updatePost(where: { id: ${s.posts.bobPub.id} }, data: { title: "x" }) { id } }`, {}, s.users.admin.headers));
  });

  it('is FORBIDDEN to anyone but an admin, and NOT_FOUND for an unknown user', async () => {
    const bob = await t.gql('{ posts { slug } }', {}, { ...s.users.bob.headers, [runAsHeader]: String(s.users.alice.id) });
    expect(forbidden(bob).message).toBe('x-cairn-run-as needs the admin role');
    forbidden(await t.gql('{ posts { slug } }', {}, { [runAsHeader]: String(s.users.alice.id) }));
    expect((await asAdminRunningAs(999999, '{ posts { slug } }')).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await asAdminRunningAs('not-an-id', '{ posts { slug } }')).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});
