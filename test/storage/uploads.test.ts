import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachProvider } from '../support/test-app.ts';
import { createStorageTestApp, sha256, type StorageTestApp } from './storage-app.ts';

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#c33' } }).png().toBuffer();
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(5000, 1)]);

const createPost = `mutation($data: PostCreateInput!) { createPost(data: $data) { id cover { id name mimeType size sha256 width height url } } }`;

describeEachProvider('GraphQL multipart uploads', (provider) => {
  let t: StorageTestApp;
  beforeAll(async () => {
    t = await createStorageTestApp(provider);
    await t.query('mutation { createMember(data: { name: "Ada" }) { id } }', {}, 1);
    await t.query('mutation { createMember(data: { name: "Bob" }) { id } }', {}, 2);
  });
  afterAll(() => t.close());

  it('uploads a cover with a create, sniffs its type, records its size and dimensions', async () => {
    const bytes = await png(40, 30);
    const { status, body } = await t.upload(createPost, { data: { title: 'a', authorId: 1 } }, { 'variables.data.cover': { bytes, name: 'cover.png', type: 'image/png' } }, { viewer: 1 });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.createPost.cover).toMatchObject({ name: 'cover.png', mimeType: 'image/png', size: bytes.length, sha256: sha256(bytes), width: 40, height: 30 });
    const download = await fetch(body.data.createPost.cover.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses a renamed executable as an image', async () => {
    const { body } = await t.upload(createPost, { data: { title: 'b', authorId: 1 } }, { 'variables.data.cover': { bytes: elf, name: 'cat.png', type: 'image/png' } }, { viewer: 1 });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/Post.cover accepts image\/\*/);
  });
});
