import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadStorageConfig } from '../../src/storage/index.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { multipartForm, viewerHeaders } from './storage-app.ts';

const png = (width: number) => sharp({ create: { width, height: width, channels: 3, background: '#e93' } }).png().toBuffer();

/** The example app's file fields: User.avatar (2 MB image), Post.cover (5 MB image), Post.attachments (any, 20 MB each). */
describeEachProvider('Example app files', (provider) => {
  let t: TestApp;
  let dir: string;
  const upload = async (query: string, variables: Record<string, unknown>, files: Parameters<typeof multipartForm>[2], viewer: number) =>
    (await t.fetch('/graphql', { method: 'POST', body: multipartForm(query, variables, files), headers: { 'apollo-require-preflight': 'true', ...viewerHeaders(viewer) } })).json() as Promise<any>;
  const gql = (query: string, variables: Record<string, unknown>, viewer: number | null) => t.gql(query, variables, viewerHeaders(viewer));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-blog-files-'));
    const config = loadStorageConfig({ CAIRN_STORAGE_DIR: dir, CAIRN_STORAGE_SECRET: randomBytes(32).toString('hex') });
    t = await createTestApp('blog', provider, {}, { viewerHeader: true, storage: { config } });
    for (const [id, email] of [[1, 'ada@example.com'], [2, 'bob@example.com']] as const) await (t.app.db as any).user.create({ data: { id, email, name: email } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('User.avatar takes an image up to 2 MB', async () => {
    const ok = await upload('mutation($f: Upload!) { updateUser(where: { id: 1 }, data: { avatar: $f }) { avatar { mimeType width } } }', {}, { 'variables.f': { bytes: await png(32), name: 'me.png' } }, 1);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.updateUser.avatar).toEqual({ mimeType: 'image/png', width: 32 });
    const big = await upload('mutation($f: Upload!) { updateUser(where: { id: 1 }, data: { avatar: $f }) { id } }', {}, { 'variables.f': { bytes: Buffer.concat([await png(8), Buffer.alloc(2_000_001)]), name: 'big.png' } }, 1);
    expect(big.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("a draft's cover cannot be downloaded by others; once published it can", async () => {
    const created = await upload(
      'mutation($data: PostCreateInput!) { createPost(data: $data) { id cover { url } attachments { name mimeType } } }',
      { data: { title: 'Draft', slug: 'draft-files', authorId: 1 } },
      { 'variables.data.cover': { bytes: await png(20), name: 'cover.png' }, 'variables.data.attachments.0': { bytes: Buffer.from('a,b\n1,2\n'), name: 'data.csv' } },
      1,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createPost.attachments).toEqual([{ name: 'data.csv', mimeType: 'text/plain' }]);
    const id = created.data.createPost.id;
    const read = `query($id: Int!) { post(where: { id: $id }) { cover { url } } }`;
    expect((await gql(read, { id }, 1)).data.post.cover.url).toMatch(/\/storage\/files\//);
    expect((await gql(read, { id }, 2)).data.post).toBeNull();
    expect((await gql(read, { id }, null)).data.post).toBeNull();
    await gql('mutation($id: Int!) { updatePost(where: { id: $id }, data: { status: PUBLISHED }) { id } }', { id }, 1);
    const url = (await gql(read, { id }, 2)).data.post.cover.url;
    const response = await t.fetch(new URL(url).pathname + new URL(url).search);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
  });
});
