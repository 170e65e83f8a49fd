import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export type Encoding = 'br' | 'gzip';

/** The encoding to answer with: brotli when the client takes it, then gzip, else none. `q=0` refuses. */
export function pickEncoding(acceptEncoding: string | null): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map(
    acceptEncoding.split(',').map((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return [name!, q === undefined ? 1 : Number(q)] as const;
    }),
  );
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : undefined;
}

/**
 * Compresses a body. `level` trades CPU for size: `fast` for per-response work (brotli 4 / gzip 6
 * compress JSON several times faster than the maximum for a few percent), `max` (brotli 6 / gzip 9:
 * brotli 9 took twice as long on GraphiQL's 5 MB script for 3 % less) for assets
 * compressed once.
 */
export function encodeBody(body: Uint8Array, encoding: Encoding, level: 'fast' | 'max' = 'fast'): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body, { level: level === 'max' ? 9 : 6 });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: level === 'max' ? 6 : 4,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}
