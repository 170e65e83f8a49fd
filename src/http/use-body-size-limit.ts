import type { Plugin } from 'graphql-yoga';
import { badInput, CairnError } from '../errors.ts';

const tooLarge = (limit: number) =>
  new CairnError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`, { limit });

/**
 * Refuses request bodies over `limit` bytes with PAYLOAD_TOO_LARGE. It replaces yoga's own limit
 * (`maxRequestBodySize`), which pipes every body through a TransformStream and a new Request:
 * that cost more than half of yoga's per-request time (README "Architecture"). A declared
 * Content-Length is checked from the header alone — Node's HTTP parser never delivers more body
 * than it declares — so only chunked bodies are counted as they stream in.
 */
export function useBodySizeLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        // One non-negative integer; "1, 2" or "-1" (request smuggling) is refused outright.
        if (!/^\d+$/.test(declared)) throw badInput('The Content-Length header is invalid.');
        if (Number(declared) > limit) throw tooLarge(limit);
        return;
      }
      if (requestParser && request.body) setRequestParser((req) => requestParser(countingBody(req, limit, fetchAPI)));
    },
  };
}

/** The request with a body that errors once more than `limit` bytes have streamed through. */
function countingBody(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }) {
  if (!request.body) return request;
  let bytes = 0;
  // A native body needs the native TransformStream, a ponyfilled one the ponyfill (graphql-yoga#4583).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const body = request.body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}
