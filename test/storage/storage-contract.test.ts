import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage, type Storage } from '../../src/storage/index.ts';
import { startS3, type TestS3 } from './s3-server.ts';

const read = async (body: Readable) => Buffer.concat(await body.toArray());

/** One contract, every driver: what src/storage relies on from a Storage. */
function storageContract(name: string, open: () => Promise<{ storage: Storage; close: () => Promise<void> }>) {
  describe(`Storage contract [${name}]`, () => {
    let storage: Storage;
    let close: () => Promise<void>;
    beforeAll(async () => ({ storage, close } = await open()));
    afterAll(() => close());

    it('puts a stream and gets it back with its size, type and an ETag', async () => {
      const bytes = randomBytes(300_000);
      const { size } = await storage.put('files/a1', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), { contentType: 'image/png' });
      expect(size).toBe(bytes.length);
      const head = await storage.head('files/a1');
      expect(head).toMatchObject({ key: 'files/a1', size: bytes.length, contentType: 'image/png' });
      expect(head!.etag).toMatch(/^".+"$/);
      const object = await storage.get('files/a1');
      expect(object!.size).toBe(bytes.length);
      expect((await read(object!.body)).equals(bytes)).toBe(true);
    });

    it('gets a byte range (inclusive), cut to the object', async () => {
      await storage.put('files/r1', Readable.from([Buffer.from('0123456789')]), { contentType: 'text/plain' });
      const part = await storage.get('files/r1', { start: 2, end: 5 });
      expect(part!.range).toEqual({ start: 2, end: 5 });
      expect(part!.size).toBe(10);
      expect((await read(part!.body)).toString()).toBe('2345');
      const tail = await storage.get('files/r1', { start: 7, end: 100 });
      expect((await read(tail!.body)).toString()).toBe('789');
    });

    it('replaces an object on put', async () => {
      await storage.put('files/p1', Readable.from([Buffer.from('first')]), { contentType: 'text/plain' });
      await storage.put('files/p1', Readable.from([Buffer.from('second!')]), { contentType: 'text/markdown' });
      expect(await storage.head('files/p1')).toMatchObject({ size: 7, contentType: 'text/markdown' });
    });

    it('answers null for a missing key and deletes idempotently', async () => {
      expect(await storage.head('files/missing')).toBeNull();
      expect(await storage.get('files/missing')).toBeNull();
      await storage.put('files/d1', Readable.from([Buffer.from('x')]), { contentType: 'text/plain' });
      await storage.delete('files/d1');
      await storage.delete('files/d1');
      expect(await storage.head('files/d1')).toBeNull();
    });

    it('keeps no partial object when the stream fails midway', async () => {
      const failing = new Readable({
        read() {
          this.push(randomBytes(64 * 1024));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(storage.put('files/broken', failing, { contentType: 'text/plain' })).rejects.toThrow();
      expect(await storage.head('files/broken')).toBeNull();
    });

    it('lists objects under a prefix', async () => {
      await storage.put('list/x/1', Readable.from([Buffer.from('1')]), { contentType: 'text/plain' });
      await storage.put('list/x/2', Readable.from([Buffer.from('22')]), { contentType: 'text/plain' });
      await storage.put('list/y/3', Readable.from([Buffer.from('333')]), { contentType: 'text/plain' });
      const keys: string[] = [];
      for await (const object of storage.list('list/x/')) keys.push(object.key);
      expect(keys.sort()).toEqual(['list/x/1', 'list/x/2']);
    });

    it('refuses keys that could leave its namespace', async () => {
      for (const key of ['../etc/passwd', 'files/../../x', '/abs', 'files/.hidden', 'a\nb', 'files/a b']) {
        await expect(storage.put(key, Readable.from([Buffer.from('x')]), { contentType: 'text/plain' })).rejects.toThrow(/Invalid storage key/);
        await expect(storage.signDownload(key, { expiresIn: 60, contentDisposition: 'attachment', contentType: 'text/plain' })).rejects.toThrow(/Invalid storage key/);
      }
    });

    it('signs a download link that serves the object with the headers it names', async () => {
      await storage.put('files/s1', Readable.from([Buffer.from('signed bytes')]), { contentType: 'text/plain' });
      const url = await storage.signDownload('files/s1', { expiresIn: 60, contentDisposition: 'attachment; filename="s1.txt"', contentType: 'text/plain' });
      expect(url).toMatch(/^http/);
      if (storage.driver !== 's3') return; // the local link is served by Cairn's route (test/storage/local-routes.test.ts)
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="s1.txt"');
      expect(await response.text()).toBe('signed bytes');
    });

    it('signs an upload target for one object of a given size and type', async () => {
      const target = await storage.signUpload('files/u1', { expiresIn: 60, size: 5, contentType: 'text/plain' });
      expect(['POST', 'PUT']).toContain(target.method);
      if (storage.driver !== 's3') return; // the local target is Cairn's route (test/storage/local-routes.test.ts)
      const form = new FormData();
      for (const [k, v] of Object.entries(target.fields)) form.append(k, v);
      form.append('file', new Blob(['hello'], { type: 'text/plain' }));
      const response = await fetch(target.url, { method: 'POST', body: form });
      expect(response.status).toBeLessThan(300);
      expect(await storage.head('files/u1')).toMatchObject({ size: 5 });
    });
  });
}

storageContract('local', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cairn-files-'));
  return {
    storage: new LocalStorage({ root, secret: 'test-secret', baseUrl: 'http://cairn.test' }),
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
});

storageContract('s3 (s3rver)', async () => {
  const s3: TestS3 = await startS3();
  return { storage: s3.storage, close: () => s3.close() };
});
