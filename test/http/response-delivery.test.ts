import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** GraphiQL was one 9 MB inline page, sent uncompressed and uncached on every load. */
describe('GraphiQL as a small page and cacheable, compressed assets', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp('blog', 'sqlite')));
  afterAll(() => t.close());

  it('serves a small page that names content-hashed assets, each compressed, immutable and revalidatable', async () => {
    const page = await t.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.length).toBeLessThan(10_000);
    const script = /<script src="(\/graphiql\/graphiql\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    const style = /href="(\/graphiql\/graphiql\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    expect(html).toMatch(/\/graphiql\/graphql\.worker\.[0-9a-f]{12}\.js/);
    expect(script && style).toBeTruthy();

    const br = await t.fetch(script!, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const compressed = Buffer.from(await br.arrayBuffer());
    const js = brotliDecompressSync(compressed);
    expect(js.byteLength).toBeGreaterThan(1_000_000);
    expect(compressed.byteLength).toBeLessThan(js.byteLength / 3);
    expect(js.toString('utf8')).toContain('renderYogaGraphiQL');

    const gz = await t.fetch(style!, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8').length).toBeGreaterThan(1000);

    const etag = br.headers.get('etag')!;
    const again = await t.fetch(script!, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const plain = await t.fetch(script!);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBe(js.byteLength);
  });

  it('answers unknown asset names with 404 and leaves GraphQL requests alone', async () => {
    expect((await t.fetch('/graphiql/graphiql.000000000000.js')).status).toBe(404);
    expect(await t.gql('{ postsCount }')).toEqual({ data: { postsCount: 0 } });
  });
});

describe('production responses are compressed above 1 KiB', () => {
  let t: TestApp;
  // 120 aliases make a body of about 2 KB (more than the default alias limit, which is not this suite's concern).
  beforeAll(async () => (t = await createTestApp('blog', 'sqlite', { NODE_ENV: 'production', CAIRN_MAX_ALIASES: '200' })));
  afterAll(() => t.close());
  const post = (query: string, acceptEncoding?: string) =>
    t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
      body: JSON.stringify({ query }),
    });
  const large = `{ ${Array.from({ length: 120 }, (_, i) => `count${i}: postsCount`).join(' ')} }`;

  it('brotli or gzip as the client accepts, with Vary; the decoded body is the JSON', async () => {
    const br = await post(large, 'br;q=1, gzip;q=0.5');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/);
    const json = JSON.parse(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8'));
    expect(Object.keys(json.data)).toHaveLength(120);

    const gz = await post(large, 'gzip, br;q=0');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).data.count7).toBe(0);
  });

  it('leaves small bodies and clients that accept no encoding as they are', async () => {
    const small = await post('{ postsCount }', 'gzip, br');
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.json()).toEqual({ data: { postsCount: 0 } });
    const identity = await post(large);
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(Object.keys((await identity.json()).data)).toHaveLength(120);
  });

  it('serves no GraphiQL in production', async () => {
    const page = await t.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect((await t.fetch('/graphiql/graphiql.000000000000.js')).status).not.toBe(200);
  });
});
