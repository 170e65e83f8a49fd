import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { badInput, CairnError } from '../errors.ts';
import { accepts, type FileField } from './file-fields.ts';
import { readImageSize } from './image-size.ts';
import { sniffBytes, sniffType } from './sniff-type.ts';
import { StagedUpload } from './staged-upload.ts';
import type { Storage } from './storage.ts';

export const newFileId = () => randomBytes(16).toString('hex');
export const fileKey = (id: string) => `files/${id}`;

export const tooLarge = (what: string, limit: number) =>
  new CairnError('PAYLOAD_TOO_LARGE', `${what} is larger than ${limit} bytes.`, { limit });

export interface StageOptions {
  name: string;
  /** The fields this file goes to: the smallest `maxSize` applies, and every `accept`. */
  fields: readonly FileField[];
  /** Called with each chunk's size before it is stored; throws to stop (the request's total). */
  count?: (bytes: number) => void;
}

/**
 * Streams one file into storage while checking it: the first 4 KB are held back to sniff the type
 * (a type outside `accept` is refused before anything is stored), the size limit stops the stream
 * at the first byte over it, and the SHA-256 is computed on the way. A refused or failed stream
 * leaves no object (the drivers write atomically).
 */
export async function stageFile(storage: Storage, source: AsyncIterable<Uint8Array>, { name, fields, count }: StageOptions): Promise<StagedUpload> {
  const limit = Math.min(...fields.map((f) => f.maxSize));
  const label = `The file for ${fields.map((f) => `${f.model}.${f.field}`).join(', ')}`;
  const chunks = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headSize = 0;
  let ended = false;
  while (headSize < sniffBytes) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(Buffer.from(next.value));
    headSize += next.value.length;
    if (headSize > limit) throw tooLarge(label, limit);
  }
  const first = Buffer.concat(head);
  const mimeType = await sniffType(first.subarray(0, sniffBytes));
  for (const field of fields) {
    if (!accepts(field, mimeType)) {
      throw badInput(`${field.model}.${field.field} accepts ${field.accept.join(', ')}; the file's bytes are ${mimeType}.`, { field: field.field, mimeType });
    }
  }
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) return done(tooLarge(label, limit));
      try {
        count?.(chunk.length);
      } catch (error) {
        return done(error as Error);
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const body = Readable.from(
    (async function* () {
      if (first.length) yield first;
      if (ended) return;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  );
  body.on('error', (error) => meter.destroy(error));
  const id = newFileId();
  const key = fileKey(id);
  let failure: unknown;
  meter.on('error', (error) => (failure ??= error));
  try {
    await storage.put(key, body.pipe(meter), { contentType: mimeType });
  } catch (error) {
    await storage.delete(key).catch(() => {});
    throw failure ?? error;
  }
  if (failure) {
    await storage.delete(key).catch(() => {});
    throw failure;
  }
  const dimensions = mimeType.startsWith('image/') ? await readImageSize(storage, key, size) : null;
  return new StagedUpload({
    id,
    key,
    name,
    mimeType,
    size,
    sha256: hash.digest('hex'),
    width: dimensions?.width ?? null,
    height: dimensions?.height ?? null,
    checkedFor: new Set(fields.map((f) => `${f.model}.${f.field}`)),
  });
}
