import type { Plugin } from 'graphql-yoga';
import { encodeBody, pickEncoding } from './encode-body.ts';

export interface CompressionOptions {
  /** Bodies smaller than this go out as they are (compressing them costs more than it saves). @default 1024 */
  thresholdBytes?: number;
}

/** Streams (subscriptions, @defer) must reach the client chunk by chunk, never buffered. */
const streaming = /^(text\/event-stream|multipart\/mixed)/i;

/**
 * Compresses responses (brotli, else gzip, as the client's Accept-Encoding allows) whose body has
 * a known length of at least `thresholdBytes`. Bodies without a Content-Length, streams, and
 * bodies already encoded pass through untouched. Adds `Vary: Accept-Encoding` so caches keep the
 * variants apart.
 */
export function useCompression({ thresholdBytes = 1024 }: CompressionOptions = {}): Plugin {
  return {
    // Synchronous unless it compresses: reading `response.body` would turn the string body into a
    // stream (and a new Response would stream it out), so the common case only touches headers.
    onResponse({ request, response, setResponse, fetchAPI }) {
      return compressResponse(request, response, fetchAPI, thresholdBytes)?.then(setResponse);
    },
  };
}

/**
 * useCompression's work on one response (the HTTP fast path calls it too): adds `Vary` to a
 * compressible response and resolves with its compressed copy, or returns undefined when the
 * response stays as it is.
 */
export function compressResponse(
  request: Request,
  response: Response,
  fetchAPI: { Headers: typeof Headers; Response: typeof Response },
  thresholdBytes: number,
): Promise<Response> | undefined {
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!(length >= thresholdBytes) || response.headers.has('content-encoding')) return;
  if (streaming.test(response.headers.get('content-type') ?? '')) return;
  response.headers.append('vary', 'Accept-Encoding');
  const encoding = pickEncoding(request.headers.get('accept-encoding'));
  if (!encoding || !response.body) return;
  return (async () => {
    const body = await encodeBody(new Uint8Array(await response.arrayBuffer()), encoding);
    const headers = new fetchAPI.Headers(response.headers);
    headers.set('content-encoding', encoding);
    headers.set('content-length', String(body.byteLength));
    return new fetchAPI.Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>, { status: response.status, statusText: response.statusText, headers });
  })();
}
