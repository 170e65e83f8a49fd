import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccessPolicy, resolveRules, type AccessClient } from '../../src/access/index.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { fixtures } from '../support/fixtures.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';

/**
 * The enforcing client as custom server code sees it (`ctx.db`): Prisma's API with the rules
 * applied, `sudo()` for trusted code, transactions that roll back on FORBIDDEN, no raw SQL.
 */
describeEachProvider('access rules: the enforcing client', (provider) => {
  let t: TestApp;
  let s: BlogScene;
  let clientFor: (viewer: { id: number; roles: string[] } | null, explain?: boolean) => AccessClient;
  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    s = await blogScene(t);
    const rules = resolveRules((await loadGenerated(fixtures.blog.generated, provider)).datamodel);
    clientFor = (viewer, explain = false) => createAccessPolicy({ rules, explain }).clientFor(t.app.db, viewer);
  });
  afterAll(() => t.close());

  const bob = () => clientFor({ id: s.users.bob.id, roles: ['user'] });

  it('filters Prisma reads, includes and counts; sudo() is the raw client', async () => {
    const posts = await bob().post.findMany({ include: { author: true, _count: { select: { comments: true } } }, orderBy: { slug: 'asc' } });
    expect(posts.map((p: { slug: string }) => p.slug)).toEqual(['alice-pub', 'bob-draft', 'bob-pub']);
    expect(posts[0].author.email).toBeNull();
    expect(await bob().post.count({ where: { status: 'DRAFT' } })).toBe(1);
    expect(await bob().sudo().post.count({ where: { status: 'DRAFT' } })).toBe(2);
    expect(bob().viewer).toEqual({ id: s.users.bob.id, roles: ['user'] });
  });

  it('rolls a transaction back when a write in it is FORBIDDEN', async () => {
    const before = await t.app.db.post.count();
    await expect(
      bob().$transaction(async (tx) => {
        await tx.post.create({ data: { title: 'ok', slug: 'tx-ok', authorId: s.users.bob.id } });
        await tx.post.create({ data: { title: 'no', slug: 'tx-no', authorId: s.users.alice.id } });
      }),
    ).rejects.toMatchObject({ message: 'Access denied by rule Post.create', extensions: { code: 'FORBIDDEN' } });
    expect(await t.app.db.post.count()).toBe(before);
    await bob().$transaction(async (tx) => {
      await tx.post.create({ data: { title: 'ok', slug: 'tx-ok', authorId: s.users.bob.id } });
      expect(await tx.sudo().post.count({ where: { slug: 'tx-ok' } })).toBe(1);
    });
    expect(await t.app.db.post.count()).toBe(before + 1);
  });

  it('refuses raw SQL, which would bypass the rules', async () => {
    expect(() => bob().$queryRawUnsafe('SELECT 1')).toThrow(/Raw SQL bypasses access rules; use ctx.db.sudo\(\)/);
    expect(await bob().sudo().$queryRawUnsafe('SELECT 1 AS one')).toHaveLength(1);
  });

  it('explains denials only when asked to (development), naming Model.operation either way', async () => {
    const attempt = (explain: boolean) => clientFor({ id: s.users.bob.id, roles: ['user'] }, explain).post.delete({ where: { id: s.posts.alicePub.id } });
    const quiet = await attempt(false).catch((e: any) => e);
    expect(quiet.message).toBe('Access denied by rule Post.delete');
    expect(quiet.extensions).toEqual({ code: 'FORBIDDEN', http: { status: 403 } });
    const explained = await attempt(true).catch((e: any) => e);
    expect(explained.extensions.rule).toMatchObject({ name: 'Post.delete', allow: ['@@allow("update,delete", auth().id == authorId || "admin" in auth().roles)'] });
  });
});
