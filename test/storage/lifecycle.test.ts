import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachProvider } from '../support/test-app.ts';
import { createStorageTestApp, type StorageTestApp } from './storage-app.ts';

const png = (width: number) => sharp({ create: { width, height: 4, channels: 3, background: '#5a5' } }).png().toBuffer();

/** Deleting happens after COMMIT, from change events: a write that drops a file removes its object and row. */
describeEachProvider('Nothing orphaned: files follow their rows', (provider) => {
  let t: StorageTestApp;
  const db = () => t.app.db as any;
  const exists = async (id: string) => (await t.app.files!.storage.head(`files/${id}`)) !== null && (await db().storedFile.findUnique({ where: { id } })) !== null;
  const gone = async (id: string) => (await t.app.files!.storage.head(`files/${id}`)) === null && (await db().storedFile.findUnique({ where: { id } })) === null;
  const settled = () => t.app.files!.settled();
  const newPost = async (title: string, author = 1, attachments = 0) => {
    const files: Record<string, { bytes: Buffer; name: string }> = { 'variables.data.cover': { bytes: await png(10), name: 'c.png' } };
    for (let i = 0; i < attachments; i++) files[`variables.data.attachments.${i}`] = { bytes: Buffer.from(`attachment ${i}`), name: `${i}.txt` };
    const { body } = await t.upload(`mutation($data: PostCreateInput!) { createPost(data: $data) { id cover { id } attachments { id } } }`, { data: { title, authorId: author } }, files, { viewer: author });
    expect(body.errors).toBeUndefined();
    return body.data.createPost as { id: number; cover: { id: string }; attachments: { id: string }[] };
  };

  beforeAll(async () => {
    t = await createStorageTestApp(provider);
    await t.query('mutation { createMember(data: { name: "Ada" }) { id } }', {}, 1);
    await t.query('mutation { createMember(data: { name: "Bob" }) { id } }', {}, 2);
  });
  afterAll(() => t.close());

  it('replacing a file deletes the old one; setting null deletes it', async () => {
    const post = await newPost('replace');
    const { body } = await t.upload(`mutation($f: Upload!, $id: Int!) { updatePost(where: { id: $id }, data: { cover: $f }) { cover { id } } }`, { id: post.id }, { 'variables.f': { bytes: await png(11), name: 'd.png' } }, { viewer: 1 });
    const replacement = body.data.updatePost.cover.id;
    await settled();
    expect(await gone(post.cover.id)).toBe(true);
    expect(await exists(replacement)).toBe(true);
    await t.query(`mutation($id: Int!) { updatePost(where: { id: $id }, data: { cover: null }) { id } }`, { id: post.id }, 1);
    await settled();
    expect(await gone(replacement)).toBe(true);
  });

  it('an update that does not touch the file keeps it', async () => {
    const post = await newPost('keep');
    await t.query(`mutation($id: Int!) { updatePost(where: { id: $id }, data: { title: "kept" }) { id } }`, { id: post.id }, 1);
    await settled();
    expect(await exists(post.cover.id)).toBe(true);
  });

  it('deleting the row deletes its files (a list included)', async () => {
    const post = await newPost('delete', 1, 2);
    await t.query(`mutation($id: Int!) { deletePost(where: { id: $id }) { id } }`, { id: post.id }, 1);
    await settled();
    for (const id of [post.cover.id, ...post.attachments.map((a) => a.id)]) expect(await gone(id)).toBe(true);
  });

  it('deleteMany and cascades delete every file of every row', async () => {
    const a = await newPost('many-a');
    const b = await newPost('many-b');
    const result = await t.query(`mutation { deleteManyPosts(where: { title: { startsWith: "many-" } }) { count } }`, {}, 1);
    expect(result.data.deleteManyPosts.count).toBe(2);
    await settled();
    expect(await gone(a.cover.id)).toBe(true);
    expect(await gone(b.cover.id)).toBe(true);
    // Deleting Bob cascades to his posts.
    const bobs = await newPost('cascade', 2);
    await t.query(`mutation { deleteMember(where: { id: 2 }) { id } }`, {}, 2);
    await settled();
    expect(await gone(bobs.cover.id)).toBe(true);
  });

  it('a write refused by the rules deletes nothing', async () => {
    const post = await newPost('refused');
    const denied = await t.query(`mutation($id: Int!) { updatePost(where: { id: $id }, data: { cover: null }) { id } }`, { id: post.id }, 99);
    expect(denied.errors[0].extensions.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    await settled();
    expect(await exists(post.cover.id)).toBe(true);
  });
});
