import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { startS3, type TestS3 } from './s3-server.ts';
import { createStorageTestApp, sha256, type StorageTestApp } from './storage-app.ts';

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#3c6' } }).png().toBuffer();
const ticketQuery = `mutation($model: String!, $field: String!, $name: String!, $size: Int!, $mimeType: String!, $sha256: String!) {
  createUploadUrl(model: $model, field: $field, name: $name, size: $size, mimeType: $mimeType, sha256: $sha256) { token url method fields headers expiresAt }
}`;
const attach = `mutation($cover: Upload) { createPost(data: { title: "big", authorId: 1, cover: $cover }) { id cover { id size sha256 mimeType width url } } }`;

/** The same suite on both drivers: Cairn's signed PUT (local) and an S3 presigned POST (s3rver). */
for (const driver of ['local', 's3'] as const) {
  describeEachProvider(`Presigned uploads [${driver}]`, (provider) => {
    let t: StorageTestApp;
    let s3: TestS3 | undefined;
    let clock = Date.now();

    const ticket = async (bytes: Buffer, overrides: Record<string, unknown> = {}, viewer: number | null = 1) =>
      t.query(ticketQuery, { model: 'Post', field: 'cover', name: 'big.png', size: bytes.length, mimeType: 'image/png', sha256: sha256(bytes), ...overrides }, viewer);
    const send = async (target: { url: string; method: string; fields: Record<string, string>; headers: Record<string, string> }, bytes: Buffer, type = 'image/png') => {
      if (target.method === 'PUT') return fetch(target.url, { method: 'PUT', body: new Uint8Array(bytes), headers: target.headers });
      const form = new FormData();
      for (const [k, v] of Object.entries(target.fields)) form.append(k, v);
      form.append('file', new Blob([new Uint8Array(bytes)], { type }));
      return fetch(target.url, { method: 'POST', body: form });
    };
    const objectOf = (token: string) => t.app.files!.storage.head(`files/${token.split('.')[0]}`);

    beforeAll(async () => {
      let storage: Storage | undefined;
      if (driver === 's3') {
        s3 = await startS3();
        storage = s3.storage;
      }
      t = await createStorageTestApp(provider, { CAIRN_UPLOAD_URL_TTL: '300' }, storage, () => clock);
      await t.query('mutation { createMember(data: { name: "Ada" }) { id } }', {}, 1);
      await t.query('mutation { createMember(data: { name: "Bob" }) { id } }', {}, 2);
    });
    afterAll(async () => {
      await t.close();
      await s3?.close();
    });

    it('createUploadUrl, upload straight to storage, attach by token: verified and served', async () => {
      const bytes = await png(120, 80);
      const { data, errors } = await ticket(bytes);
      expect(errors).toBeUndefined();
      expect(data.createUploadUrl.method).toBe(driver === 's3' ? 'POST' : 'PUT');
      // S3 checks the checksum itself: it is a field of the signed policy.
      if (driver === 's3') expect(data.createUploadUrl.fields['x-amz-checksum-sha256']).toBe(Buffer.from(sha256(bytes), 'hex').toString('base64'));
      expect((await send(data.createUploadUrl, bytes)).status).toBeLessThan(300);
      const created = await t.query(attach, { cover: data.createUploadUrl.token }, 1);
      expect(created.errors).toBeUndefined();
      expect(created.data.createPost.cover).toMatchObject({ size: bytes.length, sha256: sha256(bytes), mimeType: 'image/png', width: 120 });
      const download = await fetch(created.data.createPost.cover.url);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    });

    describe('bad tokens: FORBIDDEN, nothing attached', () => {
      it('a reused token', async () => {
        const bytes = await png(10, 10);
        const { data } = await ticket(bytes);
        await send(data.createUploadUrl, bytes);
        expect((await t.query(attach, { cover: data.createUploadUrl.token }, 1)).errors).toBeUndefined();
        const again = await t.query(attach, { cover: data.createUploadUrl.token }, 1);
        expect(again.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/already used/) });
      });

      it('a forged token, and a real id with a forged signature', async () => {
        const bytes = await png(10, 11);
        const { data } = await ticket(bytes);
        await send(data.createUploadUrl, bytes);
        const [id] = data.createUploadUrl.token.split('.');
        for (const token of [`${randomBytes(16).toString('hex')}.${randomBytes(32).toString('base64url')}`, `${id}.${randomBytes(32).toString('base64url')}`, id, '../../etc/passwd', '']) {
          const result = await t.query(attach, { cover: token }, 1);
          expect(result.errors[0].extensions.code, token).toBe('FORBIDDEN');
        }
        // The real token still works: forgeries did not consume it.
        expect((await t.query(attach, { cover: data.createUploadUrl.token }, 1)).errors).toBeUndefined();
      });

      it("another user's token, and a token for another field", async () => {
        const bytes = await png(10, 12);
        const { data } = await ticket(bytes);
        await send(data.createUploadUrl, bytes);
        const asBob = await t.query(`mutation($c: Upload) { createPost(data: { title: "bob", authorId: 2, cover: $c }) { id } }`, { c: data.createUploadUrl.token }, 2);
        expect(asBob.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/another user/) });
        const asAvatar = await t.query(`mutation($a: Upload) { updateMember(where: { id: 1 }, data: { avatar: $a }) { id } }`, { a: data.createUploadUrl.token }, 1);
        expect(asAvatar.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/for Post.cover, not Member.avatar/) });
        expect((await t.query(attach, { cover: data.createUploadUrl.token }, 1)).errors).toBeUndefined();
      });

      it('an expired token', async () => {
        const bytes = await png(10, 13);
        const { data } = await ticket(bytes);
        await send(data.createUploadUrl, bytes);
        clock += 301_000;
        try {
          const late = await t.query(attach, { cover: data.createUploadUrl.token }, 1);
          expect(late.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/expired/) });
        } finally {
          clock -= 301_000;
        }
      });
    });

    describe('bytes unlike the ticket: BAD_USER_INPUT, the object deleted', () => {
      it('a mismatched checksum', async () => {
        const bytes = await png(20, 20);
        const { data } = await ticket(bytes, { sha256: sha256(Buffer.from('something else')) });
        await send(data.createUploadUrl, bytes);
        const result = await t.query(attach, { cover: data.createUploadUrl.token }, 1);
        expect(result.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/SHA-256 does not match/) });
        expect(await objectOf(data.createUploadUrl.token)).toBeNull();
      });

      it('other bytes than declared: an executable of the same size sent as image/png', async () => {
        const image = await png(20, 21);
        const exe = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(image.length - 8, 1)]);
        const { data } = await ticket(exe);
        await send(data.createUploadUrl, exe);
        const result = await t.query(attach, { cover: data.createUploadUrl.token }, 1);
        expect(result.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/application\/x-elf/) });
        expect(await objectOf(data.createUploadUrl.token)).toBeNull();
      });

      it('a different size than declared', async () => {
        const bytes = await png(20, 22);
        const { data } = await ticket(bytes);
        const bigger = Buffer.concat([bytes, Buffer.alloc(100)]);
        const response = await send(data.createUploadUrl, bigger);
        if (driver === 'local') expect(response.status).toBe(413); // s3rver does not enforce the policy's size
        const result = await t.query(attach, { cover: data.createUploadUrl.token }, 1);
        expect(result.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(await objectOf(data.createUploadUrl.token)).toBeNull();
      });

      it('attaching before anything was uploaded', async () => {
        const { data } = await ticket(await png(20, 23));
        const result = await t.query(attach, { cover: data.createUploadUrl.token }, 1);
        expect(result.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/Nothing was uploaded/) });
      });
    });

    describe('createUploadUrl checks what it can up front', () => {
      it('size over the field limit, a type outside accept, a bad name, anonymous, not a file field', async () => {
        const bytes = await png(5, 5);
        expect((await ticket(bytes, { size: 6_000_000 })).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
        expect((await ticket(bytes, { mimeType: 'application/x-msdownload' })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect((await ticket(bytes, { name: '../../evil.png' })).errors[0].message).toMatch(/cannot contain a path/);
        expect((await ticket(bytes, { name: 'a\u0000b.png' })).errors[0].message).toMatch(/control characters/);
        expect((await ticket(bytes, { sha256: 'xyz' })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect((await ticket(bytes, {}, null)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect((await ticket(bytes, { field: 'title' })).errors[0].message).toMatch(/Post.title is not a file field/);
      });
    });

    if (driver === 'local') {
      it('the signed PUT refuses tampering, a wrong type, and a second upload after attaching', async () => {
        const bytes = await png(30, 30);
        const { data } = await ticket(bytes);
        const target = data.createUploadUrl;
        const tampered = new URL(target.url);
        tampered.searchParams.set('size', '999999999');
        expect((await fetch(tampered, { method: 'PUT', body: new Uint8Array(bytes), headers: target.headers })).status).toBe(403);
        expect((await fetch(target.url, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'text/html' } })).status).toBe(400);
        expect((await send(target, bytes)).status).toBe(204);
        expect((await t.query(attach, { cover: target.token }, 1)).errors).toBeUndefined();
        expect((await send(target, await png(31, 30))).status).toBe(403);
      });
    }
  });
}
