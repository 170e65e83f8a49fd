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
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (!response.body || response.headers.has('content-encoding')) return;
      if (streaming.test(response.headers.get('content-type') ?? '')) return;
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      if (!(length >= thresholdBytes)) return;
      const encoding = pickEncoding(request.headers.get('accept-encoding'));
      const headers = new fetchAPI.Headers(response.headers);
      headers.append('vary', 'Accept-Encoding');
      if (!encoding) return setResponse(new fetchAPI.Response(response.body, { status: response.status, statusText: response.statusText, headers }));
      const body = await encodeBody(new Uint8Array(await response.arrayBuffer()), encoding);
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(body.byteLength));
      setResponse(new fetchAPI.Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>, { status: response.status, statusText: response.statusText, headers }));
    },
  };
}
