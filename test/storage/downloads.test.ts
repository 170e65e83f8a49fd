import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachProvider } from '../support/test-app.ts';
import { createStorageTestApp, type StorageTestApp } from './storage-app.ts';

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#36c' } }).png().toBuffer();
const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const html = Buffer.from('<html><script>alert(1)</script></html>\n');

const postFiles = `query($id: Int!) { post(where: { id: $id }) { id cover { url width } invoice { url } attachments { name mimeType url } } }`;

describeEachProvider('Downloads follow the record', (provider) => {
  let t: StorageTestApp;
  let clock = Date.now();
  let draftId: number;
  let publishedId: number;

  beforeAll(async () => {
    t = await createStorageTestApp(provider, { CAIRN_DOWNLOAD_URL_TTL: '60' }, undefined, () => clock);
    await t.query('mutation { createMember(data: { name: "Ada" }) { id } }', {}, 1);
    await t.query('mutation { createMember(data: { name: "Bob" }) { id } }', {}, 2);
    const create = `mutation($data: PostCreateInput!) { createPost(data: $data) { id } }`;
    const files = async () => ({
      'variables.data.cover': { bytes: await png(64, 48), name: 'cover.png' },
      'variables.data.invoice': { bytes: pdf, name: 'invoice.pdf' },
      'variables.data.attachments.0': { bytes: html, name: 'page.html' },
    });
    const draft = await t.upload(create, { data: { title: 'draft', authorId: 1 } }, await files(), { viewer: 1 });
    const published = await t.upload(create, { data: { title: 'pub', authorId: 1, published: true } }, await files(), { viewer: 1 });
    expect(draft.body.errors).toBeUndefined();
    draftId = draft.body.data.createPost.id;
    publishedId = published.body.data.createPost.id;
  });
  afterAll(() => t.close());

  describe('who gets a link', () => {
    it("the author gets every file of a draft; others and anonymous get no draft (so no link)", async () => {
      const own = await t.query(postFiles, { id: draftId }, 1);
      expect(own.data.post.cover.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/files\//);
      expect(own.data.post.invoice.url).toBeTruthy();
      expect((await t.query(postFiles, { id: draftId }, 2)).data.post).toBeNull();
      expect((await t.query(postFiles, { id: draftId }, null)).data.post).toBeNull();
    });

    it('a field rule hides one file of a readable row: the invoice of a published post is the author’s only', async () => {
      const other = await t.query(postFiles, { id: publishedId }, 2);
      expect(other.data.post.cover.url).toBeTruthy();
      expect(other.data.post.invoice).toBeNull();
      const anonymous = await t.query(postFiles, { id: publishedId }, null);
      expect(anonymous.data.post.invoice).toBeNull();
      expect((await t.query(postFiles, { id: publishedId }, 1)).data.post.invoice.url).toBeTruthy();
    });

    it('lists of posts load their files in one query per level, not one per row', async () => {
      t.resetQueries();
      const list = await t.query('{ posts { cover { name } attachments { name } } }', {}, 1);
      expect(list.data.posts.length).toBeGreaterThanOrEqual(2);
      expect(t.queries.filter((q) => /StoredFile/.test(q))).toHaveLength(1);
    });
  });

  describe('the local link', () => {
    let url: string;
    beforeAll(async () => {
      url = (await t.query(postFiles, { id: publishedId }, 1)).data.post.cover.url;
    });

    it('serves the stored type with safe headers, an ETag and caching, inline for an image', async () => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="cover.png"/);
      expect(response.headers.get('content-security-policy')).toMatch(/sandbox/);
      expect(response.headers.get('etag')).toMatch(/^".+"$/);
      expect(response.headers.get('cache-control')).toMatch(/^private, max-age=\d+/);
      const again = await fetch(url, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
    });

    it('active content downloads as an attachment, typed as sniffed (HTML is text/plain)', async () => {
      const post = (await t.query(postFiles, { id: publishedId }, 2)).data.post;
      const page = post.attachments[0];
      expect(page.mimeType).toBe('text/plain');
      const response = await fetch(page.url);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const invoiceUrl = (await t.query(postFiles, { id: publishedId }, 1)).data.post.invoice.url;
      const invoice = await fetch(invoiceUrl);
      expect(invoice.headers.get('content-type')).toBe('application/pdf');
      expect(invoice.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
    });

    it('answers range requests (206, Content-Range) and refuses impossible ranges (416)', async () => {
      const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
      const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 10-19/${whole.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 20))).toBe(true);
      const suffix = await fetch(url, { headers: { range: 'bytes=-5' } });
      expect(Buffer.from(await suffix.arrayBuffer()).equals(whole.subarray(-5))).toBe(true);
      expect((await fetch(url, { headers: { range: `bytes=${whole.length + 10}-` } })).status).toBe(416);
    });

    it('a tampered link (other key, headers, expiry or signature) is FORBIDDEN', async () => {
      const signed = new URL(url);
      const tamper = (edit: (u: URL) => void) => {
        const copy = new URL(signed);
        edit(copy);
        return fetch(copy);
      };
      const other = (await t.query(postFiles, { id: draftId }, 1)).data.post.cover.url;
      const cases = [
        (u: URL) => (u.pathname = new URL(other).pathname),
        (u: URL) => u.searchParams.set('ct', 'text/html'),
        (u: URL) => u.searchParams.set('cd', 'inline'),
        (u: URL) => u.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 3600)),
        (u: URL) => u.searchParams.set('sig', u.searchParams.get('sig')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))),
        (u: URL) => u.searchParams.delete('sig'),
        (u: URL) => (u.pathname = '/storage/files%2f..%2f..%2fetc%2fpasswd'),
      ];
      for (const edit of cases) {
        const response = await tamper(edit);
        expect(response.status).toBe(403);
        expect((await response.json()).errors[0].extensions.code).toBe('FORBIDDEN');
      }
    });

    it('a link stops working when it expires', async () => {
      const fresh = (await t.query(postFiles, { id: publishedId }, 1)).data.post.cover.url;
      expect((await fetch(fresh)).status).toBe(200);
      clock += 61_000;
      try {
        expect((await fetch(fresh)).status).toBe(403);
      } finally {
        clock -= 61_000;
      }
    });
  });

  describe('image variants', () => {
    it('url(transform) makes a bounded variant once and serves it from the cache after', async () => {
      const query = `query($id: Int!) { post(where: { id: $id }) { cover { url(transform: { width: 16, format: webp }) } } }`;
      const first = (await t.query(query, { id: publishedId }, 1)).data.post.cover.url;
      const response = await fetch(first);
      expect(response.headers.get('content-type')).toBe('image/webp');
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: 16, height: 12 });
      const variants = [];
      for await (const object of t.app.files!.storage.list('variants/')) variants.push(object);
      expect(variants).toHaveLength(1);
      await (await fetch((await t.query(query, { id: publishedId }, 1)).data.post.cover.url)).arrayBuffer();
      const after = [];
      for await (const object of t.app.files!.storage.list('variants/')) after.push(object);
      expect(after).toEqual(variants);
    });

    it('refuses unbounded or meaningless transforms, and transforms of non-images', async () => {
      const bad = async (transform: string, field = 'cover') =>
        (await t.query(`query($id: Int!) { post(where: { id: $id }) { ${field} { url(transform: ${transform}) } } }`, { id: publishedId }, 1)).errors?.[0];
      expect((await bad('{ width: 100000 }'))?.extensions.code).toBe('BAD_USER_INPUT');
      expect((await bad('{ width: 0 }'))?.extensions.code).toBe('BAD_USER_INPUT');
      expect((await bad('{ quality: 500, width: 10 }'))?.extensions.code).toBe('BAD_USER_INPUT');
      expect((await bad('{}'))?.extensions.code).toBe('BAD_USER_INPUT');
      expect((await bad('{ width: 10 }', 'invoice'))?.message).toMatch(/Only images can be transformed/);
    });
  });
});
