import type { Plugin } from 'graphql-yoga';
import { Readable, Transform } from 'node:stream';
import type { FileService } from './file-service.ts';
import { localRoutePrefix, type LocalStorage } from './local-storage.ts';
import type { ByteRange } from './storage.ts';

const json = (status: number, code: string, message: string) => Response.json({ errors: [{ message, extensions: { code } }] }, { status });

/** Headers every stored-file response carries: the stored type only, never sniffed, never run. */
const safeHeaders = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cross-origin-resource-policy': 'same-site',
};

/**
 * The local driver's signed links: `GET /storage/<key>` (range requests, ETag, caching headers)
 * and `PUT /storage/<key>` (a `createUploadUrl` target: streamed to disk in constant memory,
 * stopped at the signed size, only while the ticket is unused).
 */
export function useStorageRoutes(storage: LocalStorage, files: FileService): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(localRoutePrefix)) return;
      const key = decodeURIComponent(url.pathname.slice(localRoutePrefix.length));
      if (request.method === 'GET' || request.method === 'HEAD') return endResponse(await download(storage, key, request, url));
      if (request.method === 'PUT') return endResponse(await upload(storage, files, key, request, url));
      endResponse(json(405, 'BAD_USER_INPUT', 'Stored files answer GET, HEAD and PUT.'));
    },
  };
}

async function download(storage: LocalStorage, key: string, request: Request, url: URL): Promise<Response> {
  const grant = storage.verify('GET', key, url.searchParams);
  if (!grant) return json(403, 'FORBIDDEN', 'The link is invalid or has expired.');
  const info = await storage.head(key);
  if (!info) return json(404, 'NOT_FOUND', 'The file no longer exists.');
  const remaining = Math.max(0, Number(url.searchParams.get('exp')) - Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    ...safeHeaders,
    'content-type': grant.contentType,
    'content-disposition': grant.contentDisposition,
    etag: info.etag,
    'last-modified': info.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    // The bytes under a key never change; the link itself is what expires.
    'cache-control': `private, max-age=${remaining}, immutable`,
  };
  if (request.headers.get('if-none-match') === info.etag) return new Response(null, { status: 304, headers });
  let range: ByteRange | undefined;
  const asked = request.headers.get('range');
  const ifRange = request.headers.get('if-range');
  if (asked && (!ifRange || ifRange === info.etag)) {
    const match = /^bytes=(\d*)-(\d*)$/.exec(asked.trim());
    const start = match?.[1] ? Number(match[1]) : match?.[2] ? Math.max(0, info.size - Number(match[2])) : NaN;
    const end = match?.[1] && match[2] ? Math.min(Number(match[2]), info.size - 1) : info.size - 1;
    if (!match || Number.isNaN(start) || start > end || start >= info.size) {
      return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${info.size}` } });
    }
    range = { start, end };
  }
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { ...headers, 'content-length': String(info.size) } });
  const object = await storage.get(key, range);
  if (!object) return json(404, 'NOT_FOUND', 'The file no longer exists.');
  const body = Readable.toWeb(object.body) as ReadableStream;
  if (!range) return new Response(body, { status: 200, headers: { ...headers, 'content-length': String(info.size) } });
  return new Response(body, {
    status: 206,
    headers: { ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${info.size}` },
  });
}

async function upload(storage: LocalStorage, files: FileService, key: string, request: Request, url: URL): Promise<Response> {
  const grant = storage.verify('PUT', key, url.searchParams);
  if (!grant) return json(403, 'FORBIDDEN', 'The upload link is invalid or has expired.');
  const id = /^files\/([0-9a-f]{32})$/.exec(key)?.[1];
  if (!id || !(await files.isOpenTicket(id))) return json(403, 'FORBIDDEN', 'The upload link was already used.');
  if ((request.headers.get('content-type') ?? '').toLowerCase() !== grant.contentType) {
    return json(400, 'BAD_USER_INPUT', `The upload must be sent with Content-Type: ${grant.contentType}.`);
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) !== grant.size) return json(413, 'PAYLOAD_TOO_LARGE', `The upload must be exactly ${grant.size} bytes.`);
  if (!request.body) return json(400, 'BAD_USER_INPUT', 'The upload has no body.');
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > grant.size) return done(Object.assign(new Error('too large'), { tooLarge: true }));
      done(null, chunk);
    },
  });
  try {
    await storage.put(key, Readable.from(request.body as unknown as AsyncIterable<Uint8Array>).pipe(limit), { contentType: grant.contentType });
  } catch (error) {
    await storage.delete(key);
    if ((error as { tooLarge?: boolean }).tooLarge) return json(413, 'PAYLOAD_TOO_LARGE', `The upload must be exactly ${grant.size} bytes.`);
    throw error;
  }
  if (size !== grant.size) {
    await storage.delete(key);
    return json(400, 'BAD_USER_INPUT', `The upload has ${size} bytes; the link is for ${grant.size}.`);
  }
  return new Response(null, { status: 204 });
}
