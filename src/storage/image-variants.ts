import { Readable } from 'node:stream';
import { badInput } from '../errors.ts';
import type { FileService } from './file-service.ts';
import type { StoredFileRow } from './stored-file.ts';

export interface ImageTransform {
  width?: number | null;
  height?: number | null;
  fit?: 'cover' | 'contain' | 'fill' | 'inside' | 'outside' | null;
  format?: 'webp' | 'jpeg' | 'png' | 'avif' | null;
  quality?: number | null;
}

/** The largest side a variant may have, and the largest original sharp is asked to read. */
export const maxVariantSide = 4096;
const maxSourceBytes = 50_000_000;
const transformable = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);

/** Normalises and bounds a transform; its canonical form names the cached variant. */
export interface VariantOptions {
  width?: number;
  height?: number;
  fit: string;
  format: string;
  quality: number;
}

export function variantKey(row: StoredFileRow, t: ImageTransform): { key: string; format: string; options: VariantOptions } {
  if (!transformable.has(row.mimeType)) throw badInput(`Only images can be transformed; this file is ${row.mimeType}.`, { field: 'transform' });
  for (const side of ['width', 'height'] as const) {
    const value = t[side];
    if (value != null && (!Number.isInteger(value) || value < 1 || value > maxVariantSide)) throw badInput(`transform.${side} must be an integer from 1 to ${maxVariantSide}.`, { field: side });
  }
  if (t.quality != null && (!Number.isInteger(t.quality) || t.quality < 1 || t.quality > 100)) throw badInput('transform.quality must be an integer from 1 to 100.', { field: 'quality' });
  if (t.width == null && t.height == null && t.format == null) throw badInput('A transform needs a width, a height or a format.', { field: 'transform' });
  const format = t.format ?? 'webp';
  const options = { width: t.width ?? undefined, height: t.height ?? undefined, fit: t.fit ?? 'cover', format, quality: t.quality ?? 80 };
  return { key: `variants/${row.id}/${options.width ?? 0}x${options.height ?? 0}-${options.fit}-${options.quality}.${format}`, format, options };
}

/**
 * A resized/re-encoded copy of an image, made once with sharp and kept in storage beside the
 * original (deleted with it). Concurrent asks for the same variant share one rendering.
 */
export function createImageVariants(files: FileService) {
  const rendering = new Map<string, Promise<void>>();
  return async function variantUrl(row: StoredFileRow, transform: ImageTransform): Promise<string> {
    const { key, format, options } = variantKey(row, transform);
    const mimeType = `image/${format}`;
    if (!(await files.storage.head(key))) {
      if (row.size > maxSourceBytes) throw badInput(`Images over ${maxSourceBytes} bytes are not transformed.`, { field: 'transform' });
      let job = rendering.get(key);
      if (!job) {
        job = render(files, row, key, options).finally(() => rendering.delete(key));
        rendering.set(key, job);
      }
      await job;
    }
    return files.url(row, key, mimeType);
  };
}

async function render(files: FileService, row: StoredFileRow, key: string, options: VariantOptions): Promise<void> {
  const { default: sharp } = await import('sharp');
  const source = await files.storage.get(row.key);
  if (!source) throw badInput('The file has no stored bytes.');
  const input = Buffer.concat(await source.body.toArray());
  const output = await sharp(input, { limitInputPixels: 100_000_000 })
    .autoOrient()
    .resize({ width: options.width, height: options.height, fit: options.fit as 'cover', withoutEnlargement: true })
    .toFormat(options.format as 'webp', { quality: options.quality })
    .toBuffer();
  await files.storage.put(key, Readable.from([output]), { contentType: `image/${options.format}` });
}
