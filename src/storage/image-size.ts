import type { Storage } from './storage.ts';

/** Images up to this size get their width and height recorded (sharp reads the whole image). */
const maxMeasuredBytes = 50_000_000;

/** Width and height of a stored image, or null when sharp cannot read it (or it is too large to try). */
export async function readImageSize(storage: Storage, key: string, size: number): Promise<{ width: number; height: number } | null> {
  if (size > maxMeasuredBytes) return null;
  const object = await storage.get(key);
  if (!object) return null;
  const bytes = Buffer.concat(await object.body.toArray());
  try {
    const { default: sharp } = await import('sharp');
    const { width, height, autoOrient } = await sharp(bytes, { limitInputPixels: 100_000_000 }).metadata();
    const oriented = autoOrient ?? { width, height };
    return oriented.width && oriented.height ? { width: oriented.width, height: oriented.height } : null;
  } catch {
    return null;
  }
}
