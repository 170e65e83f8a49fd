import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StorageTestApp } from './storage-app.ts';

/** What is kept: StoredFile rows and the local driver's objects (temp files included). */
export async function storedState(t: StorageTestApp): Promise<{ rows: number; objects: string[] }> {
  const list = (folder: string) => {
    try {
      return (readdirSync(join(t.dir, folder), { recursive: true }) as string[]).filter((f) => !f.endsWith('.meta')).map((f) => `${folder}/${f}`);
    } catch {
      return [];
    }
  };
  return { rows: await (t.app.db as any).storedFile.count(), objects: [...list('files'), ...list('.tmp')].sort() };
}
