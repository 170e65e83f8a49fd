import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccessPolicy, resolveRules, type AccessClient } from '../../src/access/index.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { createTestApp, dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { fixtures } from '../support/fixtures.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';

/**
 * The enforcing client as custom server code sees it (`ctx.db`): Prisma's API with the rules
 * applied, `sudo()` for trusted code, transactions that roll back on FORBIDDEN, no raw SQL.
 */
describeEachProvider('access rules: the enforcing client', (provider) => {
  // A captured row's update: one UPDATE returning its before-image too (PostgreSQL), or a SELECT of it first.
  const updateVerbs = provider === 'postgresql' ? ['UPDATE'] : ['SELECT', 'UPDATE'];
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

  it('writes of a captured model return their selection from their own statement; a row the read rule then hides is FORBIDDEN, nothing kept', async () => {
    // Post's rules, except that anyone may update and only published posts are readable: so the
    // read rule after the write is decided from the written row's columns, in memory.
    const datamodel = (await loadGenerated(fixtures.blog.generated, provider)).datamodel;
    const edited = { ...datamodel, models: datamodel.models.map((m) => (m.name === 'Post' ? { ...m, documentation: '@@allow("read", status == PUBLISHED)\n@@allow("create,update,delete", true)' } : m)) };
    const changes: { kind: string; before: any; after: any }[] = [];
    const client = createAccessPolicy({ rules: resolveRules(edited), observers: [{ models: ['Post'], afterCommit: (seen) => void changes.push(...(seen as never[])) }] }).clientFor(t.app.db, { id: s.users.bob.id, roles: ['user'] });
    const id = s.posts.alicePub.id;
    const statements = async <T>(run: () => Promise<T>) => {
      t.resetQueries();
      const value = await run();
      return { value, data: dataStatements(t.queries) };
    };

    const renamed = await statements(() => client.post.update({ where: { id }, data: { title: 'Renamed' }, select: { id: true, title: true } }));
    expect(renamed.value).toEqual({ id, title: 'Renamed' });
    // UPDATE … RETURNING, no read-back query; the before-image comes from the same statement on
    // PostgreSQL (direct SQL's locking FROM), from a SELECT ahead of it on SQLite.
    expect(renamed.data.map((q) => q.trim().split(' ')[0])).toEqual(updateVerbs);
    expect(changes.at(-1)).toMatchObject({ kind: 'updated', before: { id, title: 'alice-pub' }, after: { id, title: 'Renamed', status: 'PUBLISHED' } });
    // Change capture's after-image is the row's columns, not the caller's selection.
    expect(Object.keys(changes.at(-1)!.after).sort()).toEqual(Object.keys(changes.at(-1)!.before).sort());

    // Related rows in the selection go through their rules (Prisma loads them after its UPDATE):
    // the author's email is another user's, so null as in any read; the event still has only columns.
    const withAuthor = await client.post.update({ where: { id }, data: { title: 'Renamed again' }, select: { title: true, author: { select: { id: true, email: true } } } });
    // The key comes along, as in a find whose read plan checks related rows.
    expect(withAuthor).toEqual({ id, title: 'Renamed again', author: { id: s.users.alice.id, email: null } });
    expect(changes.at(-1)!.after).not.toHaveProperty('author');

    // Without a select: every column, minus what `omit` leaves out (the key stays, as in a find).
    const omitted = (await client.post.update({ where: { id }, data: { rating: 4.5 }, omit: { body: true, id: true } })) as Record<string, unknown>;
    expect(omitted).toMatchObject({ id, rating: 4.5, slug: 'alice-pub' });
    expect(omitted).not.toHaveProperty('body');

    // Unpublishing hides the post from bob: FORBIDDEN on the read rule, the update rolled back, no event.
    const count = changes.length;
    await expect(client.post.update({ where: { id }, data: { status: 'DRAFT' }, select: { id: true } })).rejects.toMatchObject({ message: 'Access denied by rule Post.read' });
    expect(await t.app.db.post.findUnique({ where: { id }, select: { status: true, title: true } })).toEqual({ status: 'PUBLISHED', title: 'Renamed again' });
    expect(changes).toHaveLength(count);
    // Renaming a draft bob may update but not read: the read rule (not touched by the write) rides in
    // the UPDATE's WHERE, which matches nothing; the transaction then refuses it. Nothing kept.
    const draft = s.posts.aliceDraft.id;
    await expect(client.post.update({ where: { id: draft }, data: { title: 'Peeked' }, select: { id: true } })).rejects.toMatchObject({ message: 'Access denied by rule Post.read' });
    expect((await t.app.db.post.findUnique({ where: { id: draft } })).title).not.toBe('Peeked');
    expect(changes).toHaveLength(count);
    await t.app.db.post.update({ where: { id }, data: { title: 'alice-pub', rating: null } });

    // A create is its INSERT … RETURNING; a delete, the row found with its rules and the DELETE.
    const created = await statements(() => client.post.create({ data: { title: 'New', slug: 'returning-new', status: 'PUBLISHED', authorId: s.users.bob.id }, select: { id: true, slug: true } }));
    expect(created.value).toEqual({ id: expect.any(Number), slug: 'returning-new' });
    expect(created.data.map((q) => q.trim().split(' ')[0])).toEqual(['INSERT']);
    expect(changes.at(-1)).toMatchObject({ kind: 'created', before: null, after: { slug: 'returning-new', status: 'PUBLISHED' } });
    const deleted = await statements(() => client.post.delete({ where: { id: (created.value as { id: number }).id }, select: { slug: true } }));
    expect(deleted.value).toEqual({ slug: 'returning-new' });
    expect(deleted.data.map((q) => q.trim().split(' ')[0])).toEqual(['SELECT', 'DELETE']);
    expect(changes.at(-1)).toMatchObject({ kind: 'deleted', before: { slug: 'returning-new', title: 'New' }, after: null });
    // A draft bob could not read: FORBIDDEN, no row, no event.
    const events = changes.length;
    await expect(client.post.create({ data: { title: 'Hidden', slug: 'returning-draft', authorId: s.users.bob.id }, select: { id: true } })).rejects.toMatchObject({ message: 'Access denied by rule Post.read' });
    expect(await t.app.db.post.count({ where: { slug: { startsWith: 'returning-' } } })).toBe(0);
    expect(changes).toHaveLength(events);
  });

  it('an update nothing can refuse after it runs without a transaction; its change goes out once, and only once committed', async () => {
    const seen: { kind: string; before: any; after: any }[] = [];
    const outbox: string[] = [];
    const afterOnly = { models: ['Profile'], afterCommit: (changes: readonly unknown[]) => void seen.push(...(changes as never[])) };
    const rules = resolveRules((await loadGenerated(fixtures.blog.generated, provider)).datamodel);
    const policy = (observers: object[]) => createAccessPolicy({ rules, observers: observers as never });
    const alice = { id: s.users.alice.id, roles: ['user'] };
    const profile = await t.app.db.profile.upsert({ where: { userId: alice.id }, create: { userId: alice.id, bio: 'old' }, update: { bio: 'old' } });
    const verbs = () => t.queries.map((q) => q.trim().split(/\s/)[0]);

    // Profile: readable by all, update rule auth().id == userId: decided before the write.
    const client = policy([afterOnly]).clientFor(t.app.db, alice);
    t.resetQueries();
    expect(await client.profile.update({ where: { id: profile.id }, data: { bio: 'new' }, select: { bio: true } })).toEqual({ bio: 'new' });
    expect(verbs()).toEqual(updateVerbs);
    expect(seen).toEqual([expect.objectContaining({ kind: 'updated', before: expect.objectContaining({ bio: 'old' }), after: expect.objectContaining({ bio: 'new', userId: alice.id }) })]);

    // Refused by the update rule: FORBIDDEN from the before-image's SELECT, nothing written, nothing sent.
    const bob = policy([afterOnly]).clientFor(t.app.db, { id: s.users.bob.id, roles: ['user'] });
    await expect(bob.profile.update({ where: { id: profile.id }, data: { bio: 'mallory' } })).rejects.toMatchObject({ message: 'Access denied by rule Profile.update' });
    expect((await t.app.db.profile.findUnique({ where: { id: profile.id } })).bio).toBe('new');
    expect(seen).toHaveLength(1);

    // Inside a transaction the change waits for COMMIT, and a rolled-back one never goes out.
    await expect(client.$transaction(async (tx) => {
      await tx.profile.update({ where: { id: profile.id }, data: { bio: 'rolled back' } });
      expect(seen).toHaveLength(1);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await t.app.db.profile.findUnique({ where: { id: profile.id } })).bio).toBe('new');
    expect(seen).toHaveLength(1);

    // An observer writing inside the transaction (an outbox) gets one: the update takes it, and the outbox sees the change.
    const withOutbox = policy([afterOnly, { models: ['Profile'], beforeCommit: async (changes: readonly { after: { bio: string } }[]) => void outbox.push(...changes.map((c) => c.after.bio)) }]).clientFor(t.app.db, alice);
    t.resetQueries();
    await withOutbox.profile.update({ where: { id: profile.id }, data: { bio: 'outboxed' } });
    expect(verbs()).toContain('COMMIT');
    expect(outbox).toEqual(['outboxed']);
    expect(seen.at(-1)).toMatchObject({ before: { bio: 'new' }, after: { bio: 'outboxed' } });
    expect(seen).toHaveLength(2);
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
