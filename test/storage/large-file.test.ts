import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachProvider } from '../support/test-app.ts';
import { createStorageTestApp, type StorageTestApp } from './storage-app.ts';

/** 300 MB, made on the fly: an MP4 `ftyp` box, then a repeating pattern (never held in memory whole). */
const size = 300 * 1024 * 1024;
const chunkSize = 256 * 1024;
const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
function* videoChunks(): Generator<Buffer> {
  const pattern = Buffer.alloc(chunkSize);
  for (let i = 0; i < chunkSize; i++) pattern[i] = (i * 31) & 0xff;
  let sent = 0;
  while (sent < size) {
    const chunk = sent === 0 ? Buffer.concat([ftyp, pattern.subarray(ftyp.length)]) : pattern;
    const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
    sent += piece.length;
    yield piece;
  }
}
const sha = () => {
  const hash = createHash('sha256');
  for (const chunk of videoChunks()) hash.update(chunk);
  return hash.digest('hex');
};

describeEachProvider(
  'A 300 MB file through the local signed endpoint',
  (provider) => {
    let t: StorageTestApp;
    beforeAll(async () => {
      t = await createStorageTestApp(provider);
      await t.query('mutation { createMember(data: { name: "Ada" }) { id } }', {}, 1);
    });
    afterAll(() => t.close());

    it('streams up, attaches (size, type and checksum verified) and streams down with bounded memory', { timeout: 180_000 }, async () => {
      const digest = sha();
      const { data, errors } = await t.query(
        `mutation($size: Int!, $sha: String!) { createUploadUrl(model: "Post", field: "video", name: "talk.mp4", size: $size, mimeType: "video/mp4", sha256: $sha) { token url headers } }`,
        { size, sha: digest },
        1,
      );
      expect(errors).toBeUndefined();
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      try {
        const status = await new Promise<number>((resolve, reject) => {
          const req = httpRequest(data.createUploadUrl.url, { method: 'PUT', headers: { ...data.createUploadUrl.headers, 'content-length': String(size) } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', reject);
          const chunks = videoChunks();
          const pump = () => {
            for (let next = chunks.next(); !next.done; next = chunks.next()) if (!req.write(next.value)) return void req.once('drain', pump);
            req.end();
          };
          pump();
        });
        expect(status).toBe(204);
        const attached = await t.query(`mutation($v: Upload) { createPost(data: { title: "talk", authorId: 1, video: $v }) { video { size mimeType sha256 url } } }`, { v: data.createUploadUrl.token }, 1);
        expect(attached.errors).toBeUndefined();
        expect(attached.data.createPost.video).toMatchObject({ size, mimeType: 'video/mp4', sha256: digest });
        const download = await fetch(attached.data.createPost.video.url);
        const hash = createHash('sha256');
        let received = 0;
        for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) {
          hash.update(chunk);
          received += chunk.length;
        }
        expect(received).toBe(size);
        expect(hash.digest('hex')).toBe(digest);
      } finally {
        clearInterval(sampler);
      }
      const growth = peak - baseline;
      console.info(`RSS growth while 300 MB went up, was verified and came down: ${(growth / 1e6).toFixed(1)} MB`);
      // Buffering the file anywhere would show as 300 MB or more.
      expect(growth).toBeLessThan(150 * 1024 * 1024);
    });
  },
  ['sqlite'],
);
