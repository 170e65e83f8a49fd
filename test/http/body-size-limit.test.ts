import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, rowCounts, seedBlog } from '../support/blog-seed.ts';
import type { TestApp } from '../support/test-app.ts';

const limit = 2000;

/** POSTs `body` to the running server over real HTTP, declared (Content-Length) or chunked. */
function post(port: number, body: string, framing: 'declared' | 'chunked'): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (framing === 'declared') headers['content-length'] = Buffer.byteLength(body);
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    // Chunked bodies arrive in several pieces, as a streaming client would send them.
    for (let at = 0; at < body.length; at += 500) req.write(body.slice(at, at + 500));
    req.end();
  });
}

/** A createTag mutation padded with a long (ignored) operation name comment to `size` bytes. */
const createTagBody = (name: string, size: number) => {
  const body = (padding: string) => JSON.stringify({ query: `mutation { createTag(data: { name: "${name}" }) { name } } #${padding}` });
  return body('x'.repeat(size - body('').length));
};

/** CAIRN_MAX_BODY_BYTES over real HTTP: over-size bodies get PAYLOAD_TOO_LARGE and write nothing. */
describe('request body size limit', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createCrudApp('sqlite', { CAIRN_MAX_BODY_BYTES: String(limit) });
    await seedBlog(t);
    ({ port } = await t.app.start());
  });
  afterAll(() => t?.close());

  for (const framing of ['declared', 'chunked'] as const) {
    it(`accepts a ${framing} body at the limit`, async () => {
      const response = await post(port, createTagBody(`at-limit-${framing}`, limit), framing);
      expect(response.status).toBe(200);
      expect(response.json.data.createTag.name).toBe(`at-limit-${framing}`);
    });

    it(`refuses a ${framing} body one byte over the limit, writing nothing`, async () => {
      const before = await rowCounts(t);
      const response = await post(port, createTagBody(`over-limit-${framing}`, limit + 1), framing);
      expect(response.status).toBe(413);
      expect(response.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(response.json.errors[0].message).toMatch(/larger than 2000 bytes/);
      expect(await rowCounts(t)).toEqual(before);
    });
  }
});
