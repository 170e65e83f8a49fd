import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createAccessPolicy, resolveRules, type AccessClient } from '../../src/access/index.ts';
import type { ChangeEvent } from '../../src/events/index.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { createTestApp, dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { allowAll } from '../support/allow-all.ts';
import { fixtures } from '../support/fixtures.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';

/**
 * A create whose data settles every rule runs as one Prisma create, nested creates included,
 * without Cairn's interactive transaction (createRowAtOnce); anything else takes the transaction.
 * Either way: the rules hold, a failure leaves no row and no event, every created row is an event.
 */
describeEachProvider('access rules: a create its data settles', (provider) => {
  let t: TestApp;
  let s: BlogScene;
  let bob: AccessClient;
  let trusting: AccessClient;
  const committed: ChangeEvent[][] = [];
  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    s = await blogScene(t);
    const rules = resolveRules((await loadGenerated(fixtures.blog.generated, provider)).datamodel);
    const observers = [{ models: ['Post', 'Comment'], afterCommit: (changes: readonly ChangeEvent[]) => void committed.push([...changes]) }];
    bob = createAccessPolicy({ rules, observers }).clientFor(t.app.db, { id: s.users.bob.id, roles: ['user'] });
    // Every rule `true`, so any data settles them and the database alone can refuse a row.
    const open = resolveRules(allowAll((await loadGenerated(fixtures.blog.generated, provider)).datamodel));
    trusting = createAccessPolicy({ rules: open, observers }).clientFor(t.app.db, { id: s.users.bob.id, roles: ['user'] });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    committed.splice(0);
    t.resetQueries();
  });

  const inserts = (table: string) => dataStatements(t.queries).filter((q) => new RegExp(`^\\s*INSERT INTO \\S*${table}\\b`, 'i').test(q));
  const nested = (slug: string, authors: number[]) => ({
    data: { title: slug, slug, status: 'PUBLISHED', authorId: s.users.bob.id, comments: { create: authors.map((authorId, i) => ({ body: `c${i}`, authorId })) } },
    select: { slug: true, comments: { select: { body: true }, orderBy: { id: 'asc' } } },
  });

  it('is one Prisma create with its nested creates on PostgreSQL: the children in one INSERT, every row an event of one batch', async () => {
    const created = await bob.post.create(nested('at-once', [s.users.bob.id, s.users.bob.id]));
    expect(created).toEqual({ slug: 'at-once', comments: [{ body: 'c0' }, { body: 'c1' }] });
    // SQLite keeps the transactional path for nested rows (an INSERT per row, fewer statements there).
    expect(inserts('Comment')).toHaveLength(provider === 'postgresql' ? 1 : 2);
    expect(committed).toHaveLength(1);
    expect(committed[0]!.map((e) => [e.model, e.kind, e.after!.slug ?? e.after!.body])).toEqual([
      ['Post', 'created', 'at-once'],
      ['Comment', 'created', 'c0'],
      ['Comment', 'created', 'c1'],
    ]);
    // After-images are every column of the row, as from the transactional path.
    expect(Object.keys(committed[0]![1]!.after!).sort()).toEqual(['authorId', 'body', 'createdAt', 'id', 'parentId', 'postId']);
  });

  it('answers the selection from the create itself when the created rows are all its relation shows (PostgreSQL)', async () => {
    // SQLite's nested creates take the transaction (statements of their own); the answers and events are the same.
    const statements = (verbs: string[]) => provider === 'postgresql' && expect(dataStatements(t.queries).map((q) => q.trim().split(/\s/)[0])).toEqual(verbs);
    const events = () => committed.flatMap((batch) => batch.map((e) => [e.model, Object.keys(e.after!).length]));
    // Every rule true: the relation's selection has no filter, so Prisma's own SELECT answers it.
    expect(await trusting.post.create(nested('answered', [s.users.bob.id, s.users.bob.id]))).toEqual({ slug: 'answered', comments: [{ body: 'c0' }, { body: 'c1' }] });
    statements(['INSERT', 'INSERT', 'SELECT']);
    expect(events()).toEqual([['Post', 13], ['Comment', 6], ['Comment', 6]]);
    // A relation the caller did not select is loaded for the events and left out of the answer.
    committed.splice(0);
    const { select: _, ...unselected } = nested('unselected', [s.users.bob.id]);
    expect(await trusting.post.create({ ...unselected, select: { slug: true } })).toEqual({ slug: 'unselected' });
    expect(events()).toEqual([['Post', 13], ['Comment', 6]]);
    // A page as large as what was created (the default page size, say) shows every created row.
    t.resetQueries();
    const whole = nested('whole', [s.users.bob.id, s.users.bob.id]);
    expect(await trusting.post.create({ ...whole, select: { slug: true, comments: { select: { body: true }, take: 2 } } })).toEqual({ slug: 'whole', comments: [{ body: 'c0' }, { body: 'c1' }] });
    statements(['INSERT', 'INSERT', 'SELECT']);
    // A smaller page may not be every created row: read back after the create.
    t.resetQueries();
    const paged = nested('paged', [s.users.bob.id, s.users.bob.id]);
    const page = { ...paged, select: { slug: true, comments: { select: { body: true }, orderBy: { id: 'desc' }, take: 1 } } };
    expect(await trusting.post.create(page)).toEqual({ slug: 'paged', comments: [{ body: 'c1' }] });
    statements(['INSERT', 'INSERT', 'SELECT', 'SELECT']);
  });

  it('a plain create is its INSERT … RETURNING alone: no transaction, no read-back', async () => {
    expect(await bob.post.create({ data: { title: 'p', slug: 'plain', status: 'PUBLISHED', authorId: s.users.bob.id }, select: { slug: true } })).toEqual({ slug: 'plain' });
    expect(t.queries.map((q) => q.trim().split(/\s/)[0])).toEqual(['INSERT']);
    expect(committed.map((batch) => batch.map((e) => e.model))).toEqual([['Post']]);
  });

  it('a row its data does not settle takes the transaction: a comment in alice\'s name is FORBIDDEN, nothing written', async () => {
    await expect(bob.post.create(nested('forged', [s.users.bob.id, s.users.alice.id]))).rejects.toMatchObject({ message: 'Access denied by rule Comment.create' });
    expect(t.queries).toContain('ROLLBACK');
    expect(await t.app.db.post.findUnique({ where: { slug: 'forged' } })).toBeNull();
    expect(committed).toEqual([]);
  });

  it('a statement the database refuses half-way leaves no row and no event', async () => {
    // The second comment's author does not exist: its foreign key fails after the post's INSERT.
    await expect(trusting.post.create(nested('dangling', [s.users.bob.id, 999_999]))).rejects.toMatchObject({ code: 'P2003' });
    expect(inserts('Post')).toHaveLength(1);
    // A duplicate slug: the post's own INSERT fails, its comments are never written.
    await expect(bob.post.create(nested('at-once-dup', [s.users.bob.id]))).resolves.toBeTruthy();
    committed.splice(0);
    await expect(bob.post.create(nested('at-once-dup', [s.users.bob.id]))).rejects.toMatchObject({ code: 'P2002' });
    expect(await t.app.db.post.findUnique({ where: { slug: 'dangling' } })).toBeNull();
    expect(await t.app.db.comment.count({ where: { post: { slug: 'at-once-dup' } } })).toBe(1);
    expect(committed).toEqual([]);
  });
});
