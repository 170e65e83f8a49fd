import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachProvider } from '../support/test-app.ts';
import { createStorageTestApp, sha256, viewerHeaders, type StorageTestApp } from './storage-app.ts';
import { storedState } from './stored-state.ts';

export const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#c33' } }).png().toBuffer();
/** An ELF executable's header, renamed and declared as a PNG. */
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(5000, 1)]);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

const createPost = `mutation($data: PostCreateInput!) { createPost(data: $data) { id cover { id name mimeType size sha256 width height url } attachments { id name mimeType } } }`;
const csrf = { 'apollo-require-preflight': 'true' };

/** A multipart body written by hand, for what FormData would escape or refuse to send. */
function rawMultipart(parts: { name: string; filename?: string; type?: string; body: string | Buffer }[]): { body: Buffer; contentType: string } {
  const boundary = '----cairn-test-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`), Buffer.from(part.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachProvider('GraphQL multipart uploads', (provider) => {
  let t: StorageTestApp;
  const raw = async (parts: Parameters<typeof rawMultipart>[0], headers: Record<string, string> = csrf) => {
    const { body, contentType } = rawMultipart(parts);
    const response = await fetch(`${t.base}/graphql`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': contentType, ...viewerHeaders(1), ...headers } });
    return { status: response.status, body: await response.json() };
  };
  const operations = (variables: Record<string, unknown> = { data: { title: 'raw', authorId: 1, cover: null } }) => JSON.stringify({ query: createPost, variables });
  /** Nothing kept and the server still answering. */
  const expectNothingKeptAndServing = async (before: Awaited<ReturnType<typeof storedState>>) => {
    expect(await storedState(t)).toEqual(before);
    expect((await t.query('{ membersCount }', {}, 1)).data.membersCount).toBe(2);
  };

  beforeAll(async () => {
    t = await createStorageTestApp(provider);
    await t.query('mutation { createMember(data: { name: "Ada" }) { id } }', {}, 1);
    await t.query('mutation { createMember(data: { name: "Bob" }) { id } }', {}, 2);
  });
  afterAll(() => t.close());

  describe('happy paths', () => {
    it('uploads a cover with a create: sniffed type, size, checksum, dimensions, a working link', async () => {
      const bytes = await png(40, 30);
      const { status, body } = await t.upload(createPost, { data: { title: 'a', authorId: 1 } }, { 'variables.data.cover': { bytes, name: 'cover.png', type: 'image/png' } }, { viewer: 1 });
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(body.data.createPost.cover).toMatchObject({ name: 'cover.png', mimeType: 'image/png', size: bytes.length, sha256: sha256(bytes), width: 40, height: 30 });
      const download = await fetch(body.data.createPost.cover.url);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
      await t.app.files!.settled();
      const row = await (t.app.db as any).storedFile.findUnique({ where: { id: body.data.createPost.cover.id } });
      expect(row).toMatchObject({ status: 'attached', model: 'Post', field: 'cover', ownerId: '1' });
    });

    it('takes a bare Upload variable passed to the field, as apollo-upload-client sends it', async () => {
      const bytes = await png(8, 8);
      const query = `mutation($file: Upload!) { createPost(data: { title: "bare", authorId: 1, cover: $file }) { cover { width mimeType } } }`;
      const { body } = await t.upload(query, {}, { 'variables.file': { bytes, name: 'x.png', type: 'image/png' } }, { viewer: 1 });
      expect(body.errors).toBeUndefined();
      expect(body.data.createPost.cover).toEqual({ width: 8, mimeType: 'image/png' });
    });

    it('fills a list of attachments of any type, in order', async () => {
      const { body } = await t.upload(
        createPost,
        { data: { title: 'files', authorId: 1 } },
        {
          'variables.data.attachments.0': { bytes: Buffer.from('plain notes\n'), name: 'notes.txt', type: 'text/plain' },
          'variables.data.attachments.1': { bytes: pdf, name: 'spec.pdf', type: 'application/pdf' },
        },
        { viewer: 1 },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.createPost.attachments).toEqual([
        { id: expect.any(String), name: 'notes.txt', mimeType: 'text/plain' },
        { id: expect.any(String), name: 'spec.pdf', mimeType: 'application/pdf' },
      ]);
    });

    it('uploads through a nested create (a member with a post and its cover)', async () => {
      const bytes = await png(4, 4);
      const query = `mutation($data: MemberUpdateInput!) { updateMember(where: { id: 1 }, data: $data) { posts(where: { title: { equals: "nested" } }) { cover { width } } } }`;
      const { body } = await t.upload(query, { data: { posts: { create: [{ title: 'nested' }] } } }, { 'variables.data.posts.create.0.cover': { bytes, name: 'n.png', type: 'image/png' } }, { viewer: 1 });
      expect(body.errors).toBeUndefined();
      expect(body.data.updateMember.posts).toEqual([{ cover: { width: 4 } }]);
    });
  });

  describe('bad input: a coded error, nothing kept, still serving', () => {
    it('an oversized file: PAYLOAD_TOO_LARGE, and the server stops reading the body early', async () => {
      const before = await storedState(t);
      // 200 MB, chunked (no Content-Length), to the 2 MB avatar: the server reads about 2 MB + 1 MB of
      // grace, then answers and closes; what the client got to write beyond that sat in socket buffers.
      const { body: head, contentType } = rawMultipart([
        { name: 'operations', body: JSON.stringify({ query: 'mutation($f: Upload!) { updateMember(where: { id: 1 }, data: { avatar: $f }) { id } }', variables: { f: null } }) },
        { name: 'map', body: JSON.stringify({ 1: ['variables.f'] }) },
      ]);
      const preamble = head.subarray(0, head.length - '------cairn-test-boundary--\r\n'.length);
      const fileHead = Buffer.from('------cairn-test-boundary\r\nContent-Disposition: form-data; name="1"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n');
      const image = await png(16, 16);
      const total = 200_000_000;
      const result = await new Promise<{ status?: number; body: string; sent: number }>((resolve) => {
        let sent = 0;
        let answer: { status?: number; body: string } | undefined;
        const req = httpRequest(`${t.base}/graphql`, { method: 'POST', headers: { 'content-type': contentType, ...csrf, ...viewerHeaders(1) } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            answer = { status: res.statusCode, body: text };
            resolve({ ...answer, sent });
          });
        });
        req.on('error', () => resolve({ ...(answer ?? { body: '' }), sent }));
        req.write(Buffer.concat([preamble, fileHead, image]));
        const chunk = Buffer.alloc(64 * 1024, 7);
        const pump = () => {
          while (sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(result.sent).toBeLessThan(60_000_000);
      if (result.status !== undefined) {
        expect(result.status).toBe(413);
        expect(JSON.parse(result.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      }
      await expectNothingKeptAndServing(before);
    });

    it('a file over the field limit with a Content-Length: PAYLOAD_TOO_LARGE', async () => {
      const before = await storedState(t);
      const big = Buffer.concat([await png(16, 16), Buffer.alloc(2_100_000)]);
      const { status, body } = await t.upload('mutation($f: Upload!) { updateMember(where: { id: 1 }, data: { avatar: $f }) { id } }', {}, { 'variables.f': { bytes: big, name: 'big.png', type: 'image/png' } }, { viewer: 1 });
      expect(status).toBe(413);
      expect(body.errors[0]).toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE' } });
      expect(body.errors[0].message).toMatch(/Member.avatar is larger than 2000000 bytes/);
      await expectNothingKeptAndServing(before);
    });

    it('more files than a list field holds, and more than a request carries', async () => {
      const before = await storedState(t);
      const six = Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [`variables.data.attachments.${i}`, { bytes: Buffer.from(`file ${i}`), name: `${i}.txt` }]));
      const { body } = await t.upload(createPost, { data: { title: 'six', authorId: 1 } }, six, { viewer: 1 });
      expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(body.errors[0].message).toMatch(/at most 5 files/);
      const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`variables.data.attachments.${i}`, { bytes: Buffer.from(`file ${i}`), name: `${i}.txt` }]));
      const many = await t.upload(createPost, { data: { title: 'eleven', authorId: 1 } }, eleven, { viewer: 1 });
      expect(many.body.errors[0]).toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE' } });
      await expectNothingKeptAndServing(before);
    });

    it('a type outside accept, including a renamed executable', async () => {
      const before = await storedState(t);
      const { body } = await t.upload(createPost, { data: { title: 'b', authorId: 1 } }, { 'variables.data.cover': { bytes: elf, name: 'cat.png', type: 'image/png' } }, { viewer: 1 });
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toMatch(/Post.cover accepts image\/\*; the file's bytes are application\/x-elf/);
      const invoice = await t.upload(createPost, { data: { title: 'c', authorId: 1 } }, { 'variables.data.invoice': { bytes: await png(2, 2), name: 'invoice.pdf', type: 'application/pdf' } }, { viewer: 1 });
      expect(invoice.body.errors[0].message).toMatch(/Post.invoice accepts application\/pdf; the file's bytes are image\/png/);
      await expectNothingKeptAndServing(before);
    });

    it('a write the rules refuse after the upload keeps no object and no row', async () => {
      const before = await storedState(t);
      const { body } = await t.upload(createPost, { data: { title: 'not mine', authorId: 2 } }, { 'variables.data.cover': { bytes: await png(3, 3), name: 'c.png' } }, { viewer: 1 });
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      await expectNothingKeptAndServing(before);
    });

    it('a failing database write (unique violation) after the upload keeps nothing', async () => {
      const before = await storedState(t);
      const { body } = await t.upload('mutation($f: Upload!) { createMember(data: { id: 1, name: "dup", avatar: $f }) { id } }', {}, { 'variables.f': { bytes: await png(3, 3), name: 'c.png' } }, { viewer: 1 });
      expect(body.errors[0].extensions.code).toMatch(/CONFLICT|FORBIDDEN|BAD_USER_INPUT/);
      await expectNothingKeptAndServing(before);
    });

    it('a multipart request without the CSRF-prevention header: FORBIDDEN, naming the header', async () => {
      const before = await storedState(t);
      const { status, body } = await t.upload(createPost, { data: { title: 'x', authorId: 1 } }, { 'variables.data.cover': { bytes: await png(2, 2), name: 'a.png' } }, { viewer: 1, headers: {} });
      expect(status).toBe(403);
      expect(body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      expect(body.errors[0].message).toMatch(/Apollo-Require-Preflight/);
      await expectNothingKeptAndServing(before);
    });

    it('malformed bodies: missing operations, missing map, a map pointing at nothing, an extra file, a missing file', async () => {
      const before = await storedState(t);
      const image = await png(2, 2);
      const cases: [Parameters<typeof rawMultipart>[0], RegExp][] = [
        [[{ name: 'map', body: '{}' }], /after "operations"|Missing multipart field "operations"/],
        [[{ name: 'operations', body: operations() }, { name: '1', filename: 'a.png', type: 'image/png', body: image }], /must come after "operations" and "map"/],
        [[{ name: 'operations', body: operations() }, { name: 'map', body: '{"1":["variables.data.nothing"]}' }, { name: '1', filename: 'a.png', body: image }], /points at nothing/],
        [[{ name: 'operations', body: operations() }, { name: 'map', body: '{"1":["variables.data.title"]}' }, { name: '1', filename: 'a.png', body: image }], /is not an Upload/],
        [[{ name: 'operations', body: operations() }, { name: 'map', body: '{"1":["variables.data.cover"]}' }, { name: '1', filename: 'a.png', body: image }, { name: '2', filename: 'b.png', body: image }], /"2" is not in the map/],
        [[{ name: 'operations', body: operations() }, { name: 'map', body: '{"1":["variables.data.cover"]}' }], /names file "1", which the request does not carry/],
        [[{ name: 'operations', body: '{not json' }, { name: 'map', body: '{}' }], /not valid JSON/],
        [[{ name: 'operations', body: operations() }, { name: 'map', body: '{"1":["__proto__.polluted"]}' }, { name: '1', filename: 'a.png', body: image }], /must start with "variables\."/],
      ];
      for (const [parts, message] of cases) {
        const { status, body } = await raw(parts);
        expect(status, String(message)).toBe(400);
        expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(body.errors[0].message).toMatch(message);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await expectNothingKeptAndServing(before);
    });

    it('file names with a path or control characters', async () => {
      const before = await storedState(t);
      const image = await png(2, 2);
      for (const [filename, message] of [
        ['../../etc/passwd.png', /cannot contain a path/],
        ['..\\..\\boot.png', /cannot contain a path/],
        ['bad\u0001name.png', /control characters/],
        ['rtl\u202egnp.exe', /control characters/],
      ] as const) {
        const { body } = await raw([{ name: 'operations', body: operations() }, { name: 'map', body: '{"1":["variables.data.cover"]}' }, { name: '1', filename, type: 'image/png', body: image }]);
        expect(body.errors?.[0]?.extensions.code, filename).toBe('BAD_USER_INPUT');
        expect(body.errors[0].message).toMatch(message);
      }
      await expectNothingKeptAndServing(before);
    });

    it('an Upload value that is not a file of the request (a JSON object in its place)', async () => {
      const before = await storedState(t);
      const body = await t.query(createPost, { data: { title: 'forged', authorId: 1, cover: { facts: { id: 'x', key: '../x' } } } }, 1);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      await expectNothingKeptAndServing(before);
    });
  });
});
