import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createAccessPolicy, resolveRules } from '../../src/access/index.ts';
import { forbidden as refusal } from '../../src/errors.ts';
import type { ChangeEvent, PendingWrite, WriteObserver } from '../../src/events/index.ts';
import { loadGenerated, type Datamodel } from '../../src/db/index.ts';
import { allowAll } from '../support/allow-all.ts';
import { signUp } from '../support/auth-helpers.ts';
import { fixtures } from '../support/fixtures.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { forbidden, ok } from './run-matrix.ts';

type Row = Record<string, any>;

/**
 * Change capture through the write path (WriteObserver): every committed write through `ctx.db`
 * yields exactly its rows' events, with full before/after images, after COMMIT; beforeWrite sees
 * (and may replace or refuse) each row inside the transaction, beforeCommit writes commit or roll
 * back with the data. The example app with every rule `true`, so what is tested is the capture.
 */
describeEachProvider('change capture', (provider) => {
  let t: TestApp;
  const committed: ChangeEvent[][] = [];
  const pending: PendingWrite[] = [];
  const staged: ChangeEvent[][] = [];
  let onWrite: ((write: PendingWrite) => Row | void) | undefined;
  let onCommit: ((changes: readonly ChangeEvent[], db: any) => Promise<void>) | undefined;
  const observer: WriteObserver = {
    beforeWrite: (write) => {
      pending.push(write);
      return onWrite?.(write);
    },
    beforeCommit: async (changes, db) => {
      staged.push([...changes]);
      await onCommit?.(changes, db);
    },
    afterCommit: (changes) => committed.push([...changes]),
  };
  let datamodel: Datamodel;
  beforeAll(async () => {
    t = await createTestApp('blog', provider, {}, { rules: 'allow-all', observers: [observer] });
    datamodel = allowAll((await loadGenerated(fixtures.blog.generated, provider)).datamodel);
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    committed.splice(0);
    pending.splice(0);
    staged.splice(0);
    onWrite = undefined;
    onCommit = undefined;
  });

  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;
  const db = () => t.app.db as any;
  const user = async () => db().user.create({ data: { email: `${unique('u')}@capture.test` } });
  const post = async (authorId: number, extra: Row = {}) => {
    const slug = unique('p');
    return db().post.create({ data: { slug, title: slug, authorId, ...extra } });
  };
  /** The one committed batch, as [model, kind, key] triples. */
  const summary = (batch: readonly ChangeEvent[]) => batch.map((e) => [e.model, e.kind, e.key]);

  it('create: one event with every column after, nothing before', async () => {
    const author = await user();
    const created = ok(await t.gql(`mutation { createPost(data: { title: "c", slug: "${unique('s')}", authorId: ${author.id} }) { id } }`)).createPost;
    expect(committed).toHaveLength(1);
    const [event] = committed[0]!;
    expect(summary(committed[0]!)).toEqual([['Post', 'created', { id: created.id }]]);
    expect(event!.before).toBeNull();
    expect(event!.after).toEqual(await db().post.findUnique({ where: { id: created.id } }));
    expect(Object.keys(event!.after!).sort()).toEqual(['attachments', 'authorId', 'body', 'cover', 'createdAt', 'id', 'publishedAt', 'rating', 'slug', 'status', 'title', 'updatedAt', 'views']);
  });

  it('update: before and after images of the row, also where one UPDATE would do without observers', async () => {
    const author = await user();
    const before = await db().user.findUnique({ where: { id: author.id } });
    ok(await t.gql(`mutation { updateUser(where: { id: ${author.id} }, data: { name: "Renamed" }) { id } }`));
    expect(summary(committed.flat())).toEqual([['User', 'updated', { id: author.id }]]);
    const [event] = committed[0]!;
    expect(event!.before).toEqual(before);
    expect(event!.after).toEqual(await db().user.findUnique({ where: { id: author.id } }));
    expect(event!.after!.name).toBe('Renamed');
  });

  it('upsert: the create branch is a create, the update branch an update', async () => {
    const author = await user();
    const slug = unique('up');
    const upsert = (title: string) =>
      t.gql(`mutation { upsertPost(where: { slug: "${slug}" }, create: { title: "${title}", slug: "${slug}", authorId: ${author.id} }, update: { title: "${title}" }) { id } }`);
    const id = ok(await upsert('first')).upsertPost.id;
    ok(await upsert('second'));
    expect(committed.map(summary)).toEqual([[['Post', 'created', { id }]], [['Post', 'updated', { id }]]]);
    expect(committed[1]![0]!.before!.title).toBe('first');
    expect(committed[1]![0]!.after!.title).toBe('second');
  });

  it('delete: the row and everything the database cascades to, each once, with its last image', async () => {
    const author = await user();
    await db().profile.create({ data: { userId: author.id, bio: 'b' } });
    const p = await post(author.id);
    const c1 = await db().comment.create({ data: { body: '1', postId: p.id, authorId: author.id } });
    const reply = await db().comment.create({ data: { body: 'r', postId: p.id, authorId: author.id, parentId: c1.id } });
    ok(await t.gql(`mutation { deleteUser(where: { id: ${author.id} }) { id } }`));
    expect(committed).toHaveLength(1);
    const events = committed[0]!;
    const keys = events.map((e) => `${e.model}:${e.kind}:${JSON.stringify(e.key)}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(
      [`User:deleted:{"id":${author.id}}`, `Profile:deleted:{"id":${(events.find((e) => e.model === 'Profile')!.key as Row).id}}`, `Post:deleted:{"id":${p.id}}`, `Comment:deleted:{"id":${c1.id}}`, `Comment:deleted:{"id":${reply.id}}`].sort(),
    );
    expect(events[0]!.model).toBe('User');
    expect(events.find((e) => e.model === 'Comment' && (e.key as Row).id === reply.id)!.before).toMatchObject({ body: 'r', parentId: c1.id });
    expect(events.every((e) => e.after === null && e.before !== null)).toBe(true);
  });

  it('nested writes: every created row, and rows whose foreign key a connect, disconnect or set rewrites', async () => {
    const author = await user();
    const tagName = unique('tag');
    const created = ok(
      await t.gql(`mutation { createPost(data: { title: "n", slug: "${unique('n')}", authorId: ${author.id},
        comments: { create: [{ body: "a", authorId: ${author.id} }, { body: "b", authorId: ${author.id} }] },
        tags: { connectOrCreate: [{ where: { name: "${tagName}" }, create: { name: "${tagName}" } }] } }) { id comments { id } } }`),
    ).createPost;
    expect(committed).toHaveLength(1);
    expect(committed[0]!.map((e) => [e.model, e.kind]).sort()).toEqual([['Comment', 'created'], ['Comment', 'created'], ['Post', 'created'], ['Tag', 'created']]);
    // Moving a comment from another post: the comment's postId changes (an update of Comment) and the post is updated.
    const other = await post(author.id);
    const stray = await db().comment.create({ data: { body: 'stray', postId: other.id, authorId: author.id } });
    committed.splice(0);
    ok(await t.gql(`mutation { updatePost(where: { id: ${created.id} }, data: { comments: { connect: [{ id: ${stray.id} }] } }) { id } }`));
    expect(summary(committed[0]!)).toEqual([['Post', 'updated', { id: created.id }], ['Comment', 'updated', { id: stray.id }]]);
    expect([committed[0]![1]!.before!.postId, committed[0]![1]!.after!.postId]).toEqual([other.id, created.id]);
    // Disconnecting a reply nulls its parentId; `set` releases the ones left out.
    const parent = await db().comment.create({ data: { body: 'p', postId: other.id, authorId: author.id } });
    const [r1, r2] = [
      await db().comment.create({ data: { body: 'r1', postId: other.id, authorId: author.id, parentId: parent.id } }),
      await db().comment.create({ data: { body: 'r2', postId: other.id, authorId: author.id, parentId: parent.id } }),
    ];
    committed.splice(0);
    ok(await t.gql(`mutation { updateComment(where: { id: ${parent.id} }, data: { replies: { disconnect: [{ id: ${r1.id} }] } }) { id } }`));
    expect(summary(committed[0]!)).toEqual([['Comment', 'updated', { id: parent.id }], ['Comment', 'updated', { id: r1.id }]]);
    expect(committed[0]![1]!.after!.parentId).toBeNull();
    committed.splice(0);
    ok(await t.gql(`mutation { updateComment(where: { id: ${parent.id} }, data: { replies: { set: [{ id: ${r1.id} }] } }) { id } }`));
    expect(committed[0]!.map((e) => [e.key, e.before!.parentId, e.after!.parentId])).toEqual([
      [{ id: parent.id }, null, null],
      [{ id: r2.id }, parent.id, null],
      [{ id: r1.id }, null, parent.id],
    ]);
    // A nested update and delete are their rows' events.
    committed.splice(0);
    ok(await t.gql(`mutation { updatePost(where: { id: ${other.id} }, data: { comments: { update: [{ where: { id: ${r1.id} }, data: { body: "edited" } }], delete: [{ id: ${r2.id} }] } }) { id } }`));
    const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(committed[0]![0]!.model).toBe('Post');
    expect(sorted(summary(committed[0]!))).toEqual(sorted([['Post', 'updated', { id: other.id }], ['Comment', 'updated', { id: r1.id }], ['Comment', 'deleted', { id: r2.id }]]));
  });

  it('*Many: one event per row, with images', async () => {
    const author = await user();
    const prefix = unique('many');
    const data = [1, 2, 3].map((i) => `{ title: "${prefix}", slug: "${prefix}-${i}", authorId: ${author.id} }`).join(', ');
    expect(ok(await t.gql(`mutation { createManyPosts(data: [${data}]) { count } }`)).createManyPosts.count).toBe(3);
    expect(committed[0]!.map((e) => [e.model, e.kind, e.after!.slug])).toEqual([1, 2, 3].map((i) => ['Post', 'created', `${prefix}-${i}`]));
    const ids = committed[0]!.map((e) => (e.key as Row).id).sort((a, b) => a - b);
    await db().comment.create({ data: { body: 'on many', postId: ids[0], authorId: author.id } });
    committed.splice(0);
    expect(ok(await t.gql(`mutation { updateManyPosts(where: { title: { equals: "${prefix}" } }, data: { body: "x" }) { count } }`)).updateManyPosts.count).toBe(3);
    expect(committed[0]!.map((e) => [e.kind, (e.key as Row).id, e.before!.body, e.after!.body]).sort((a, b) => (a[1] as number) - (b[1] as number))).toEqual(ids.map((id) => ['updated', id, '', 'x']));
    committed.splice(0);
    expect(ok(await t.gql(`mutation { deleteManyPosts(where: { title: { equals: "${prefix}" } }) { count } }`)).deleteManyPosts.count).toBe(3);
    expect(committed[0]!.map((e) => [e.model, e.kind]).sort()).toEqual([['Comment', 'deleted'], ['Post', 'deleted'], ['Post', 'deleted'], ['Post', 'deleted']]);
    // Nothing matched: no batch at all.
    committed.splice(0);
    ok(await t.gql(`mutation { deleteManyPosts(where: { title: { equals: "${prefix}" } }) { count } }`));
    expect(committed).toEqual([]);
  });

  it('beforeWrite sees each row with the viewer inside the transaction, and may replace its data', async () => {
    const author = await user();
    onWrite = (write) => (write.model === 'Post' && write.operation === 'create' ? { ...write.data, title: String(write.data!.title).toUpperCase() } : undefined);
    const id = ok(await t.gql(`mutation { createPost(data: { title: "quiet", slug: "${unique('bw')}", authorId: ${author.id} }) { id title } }`)).createPost;
    expect(id.title).toBe('QUIET');
    expect(committed[0]![0]!.after!.title).toBe('QUIET');
    expect(pending.map((w) => [w.model, w.operation, w.viewer])).toEqual([['Post', 'create', null]]);
    expect(typeof (pending[0]!.db as Row).post.findMany).toBe('function');
  });

  it('beforeWrite refusing a nested row: the error reaches the client, nothing is written or published', async () => {
    const author = await user();
    onWrite = (write) => {
      if (write.model === 'Comment') throw refusal('Comments are closed');
    };
    const slug = unique('closed');
    const response = await t.gql(`mutation { createPost(data: { title: "t", slug: "${slug}", authorId: ${author.id}, comments: { create: [{ body: "no", authorId: ${author.id} }] } }) { id } }`);
    expect(forbidden(response).message).toBe('Comments are closed');
    expect(await db().post.findUnique({ where: { slug } })).toBeNull();
    expect(committed).toEqual([]);
    // A refused delete keeps the row.
    const p = await post(author.id);
    onWrite = (write) => {
      if (write.operation === 'delete') throw refusal('Posts are kept');
    };
    forbidden(await t.gql(`mutation { deleteManyPosts(where: { id: { equals: ${p.id} } }) { count } }`));
    expect(await db().post.findUnique({ where: { id: p.id } })).not.toBeNull();
    expect(committed).toEqual([]);
  });

  it('beforeCommit rows commit with the data, and roll back with it', async () => {
    const author = await user();
    onCommit = async (changes, tx) => {
      await tx.tag.create({ data: { name: `outbox-${changes[0]!.model}-${(changes[0]!.key as Row).id}` } });
    };
    const id = ok(await t.gql(`mutation { createPost(data: { title: "o", slug: "${unique('ob')}", authorId: ${author.id} }) { id } }`)).createPost.id;
    expect(await db().tag.findUnique({ where: { name: `outbox-Post-${id}` } })).not.toBeNull();
    expect(staged).toEqual(committed);
    // An observer failing after its outbox write: data and outbox row roll back, nothing is published.
    committed.splice(0);
    onCommit = async (changes, tx) => {
      await tx.tag.create({ data: { name: `outbox-${(changes[0]!.key as Row).id}-failed` } });
      throw new Error('outbox down');
    };
    const slug = unique('rb');
    const response = await t.gql(`mutation { createPost(data: { title: "o", slug: "${slug}", authorId: ${author.id} }) { id } }`);
    expect(response.errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await db().post.findUnique({ where: { slug } })).toBeNull();
    expect(await db().tag.count({ where: { name: { endsWith: '-failed' } } })).toBe(0);
    expect(committed).toEqual([]);
  });

  it('auth writes and sudo() writes are captured', async () => {
    const email = `${unique('signup')}@capture.test`;
    const { id } = await signUp(t, email);
    expect(committed.flat().filter((e) => e.model === 'User').map((e) => [e.kind, e.key, e.after?.email])).toEqual([['created', { id }, email]]);
    committed.splice(0);
    const policy = createAccessPolicy({ rules: resolveRules(datamodel), observers: [observer] });
    const client = policy.clientFor(db(), null);
    const created = await client.sudo().tag.create({ data: { name: unique('sudo') } });
    expect(summary(committed.flat())).toEqual([['Tag', 'created', { id: created.id }]]);
    // Inside a transaction, sudo() writes join the transaction's one batch.
    committed.splice(0);
    await client.$transaction(async (tx: any) => {
      await tx.tag.create({ data: { name: unique('tx1') } });
      await tx.sudo().tag.create({ data: { name: unique('tx2') } });
    });
    expect(committed).toHaveLength(1);
    expect(committed[0]!.map((e) => e.kind)).toEqual(['created', 'created']);
  });

  it('a model with /// @@changes(false) produces no events', async () => {
    const quiet = structuredClone(datamodel) as any;
    const tag = quiet.models.find((m: { name: string }) => m.name === 'Tag');
    tag.documentation = `${tag.documentation}\n@@changes(false)`;
    const policy = createAccessPolicy({ rules: resolveRules(quiet), observers: [observer] });
    const client = policy.clientFor(db(), null) as any;
    await client.tag.create({ data: { name: unique('quiet') } });
    const author = await user();
    await client.post.create({ data: { title: 'q', slug: unique('q'), authorId: author.id } });
    expect(committed.flat().map((e) => e.model)).toEqual(['Post']);
  });
});
