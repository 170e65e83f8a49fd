import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachProvider } from '../support/test-app.ts';
import { createStorageTestApp, sha256, type StorageTestApp } from './storage-app.ts';

const png = (width: number) => sharp({ create: { width, height: 5, channels: 3, background: '#999' } }).png().toBuffer();
const hour = 3600_000;

describeEachProvider('Orphan sweep and storage:gc', (provider) => {
  let t: StorageTestApp;
  let clock = Date.now();
  const db = () => t.app.db as any;
  const exists = async (id: string) => (await t.app.files!.storage.head(`files/${id}`)) !== null;
  const rowOf = (id: string) => db().storedFile.findUnique({ where: { id } });

  beforeAll(async () => {
    t = await createStorageTestApp(provider, { CAIRN_UPLOAD_TTL: '1h', CAIRN_UPLOAD_URL_TTL: '15m' }, undefined, () => clock);
    await t.query('mutation { createMember(data: { name: "Ada" }) { id } }', {}, 1);
  });
  afterAll(() => t.close());

  it('sweeps tickets past their deadline and uploads never attached within CAIRN_UPLOAD_TTL; keeps what rows hold', async () => {
    const bytes = await png(7);
    // A ticket whose bytes were uploaded but never attached.
    const { data } = await t.query(
      `mutation($sha: String!, $size: Int!) { createUploadUrl(model: "Post", field: "cover", name: "a.png", size: $size, mimeType: "image/png", sha256: $sha) { token url headers } }`,
      { sha: sha256(bytes), size: bytes.length },
      1,
    );
    await fetch(data.createUploadUrl.url, { method: 'PUT', body: new Uint8Array(bytes), headers: data.createUploadUrl.headers });
    const ticketId = data.createUploadUrl.token.split('.')[0];
    // An attached cover, and a `pending` row a row holds (a crash between COMMIT and marking it attached).
    const post = await t.upload(`mutation($f: Upload!) { createPost(data: { title: "kept", authorId: 1, cover: $f }) { id cover { id } } }`, {}, { 'variables.f': { bytes, name: 'b.png' } }, { viewer: 1 });
    const keptId = post.body.data.createPost.cover.id;
    await db().storedFile.update({ where: { id: keptId }, data: { status: 'pending' } });

    expect((await t.app.files!.collectGarbage()).rows).toEqual([]);
    clock += 16 * 60_000; // past the ticket's deadline
    expect((await t.app.files!.collectGarbage()).rows).toEqual([ticketId]);
    expect(await rowOf(ticketId)).toBeNull();
    expect(await exists(ticketId)).toBe(false);
    clock += 2 * hour; // past the TTL: the held pending file stays
    expect((await t.app.files!.collectGarbage()).rows).toEqual([]);
    expect(await exists(keptId)).toBe(true);
  });

  it('a full run (cairn storage:gc) removes attached files no row holds and objects without a row; --dry-run only reports', async () => {
    const bytes = await png(9);
    const post = await t.upload(`mutation($f: Upload!) { createPost(data: { title: "drop", authorId: 1, cover: $f }) { id cover { id } } }`, {}, { 'variables.f': { bytes, name: 'c.png' } }, { viewer: 1 });
    const { id: postId, cover } = post.body.data.createPost;
    // The row lets go of the file behind Cairn's back (raw SQL, a crash before clean-up).
    await db().post.update({ where: { id: postId }, data: { cover: null } });
    await t.app.files!.storage.put('files/0123456789abcdef0123456789abcdef', Readable.from([Buffer.from('orphan')]), { contentType: 'text/plain' });
    clock += 2 * hour;
    const dry = await t.app.files!.collectGarbage({ full: true, dryRun: true, now: clock + 2 * hour });
    expect(dry.rows).toContain(cover.id);
    expect(await exists(cover.id)).toBe(true);
    const report = await t.app.files!.collectGarbage({ full: true, now: clock + 2 * hour });
    expect(report.rows).toEqual(dry.rows);
    expect(report.objects).toEqual(['files/0123456789abcdef0123456789abcdef']);
    expect(await exists(cover.id)).toBe(false);
    expect(await rowOf(cover.id)).toBeNull();
    // Files rows hold are untouched.
    const kept = await db().post.findFirst({ where: { title: 'kept' } });
    expect(await exists(kept.cover)).toBe(true);
  });
});
