import type { FileService } from './file-service.ts';
import type { StoredFileRow } from './stored-file.ts';

type Load = (id: string) => Promise<StoredFileRow | null>;

/** One loader per request (keyed by its context): every File of a response is read in one query per tick. */
const loaders = new WeakMap<object, Load>();

export function fileLoader(files: FileService, context: object): Load {
  let load = loaders.get(context);
  if (load) return load;
  type Waiting = { resolve: (row: StoredFileRow | null) => void; reject: (error: unknown) => void };
  let batch: Map<string, Waiting[]> | null = null;
  load = (id) =>
    new Promise((resolve, reject) => {
      if (!batch) {
        const current: Map<string, Waiting[]> = (batch = new Map());
        // After the resolvers of this tick asked for their files.
        setImmediate(() => {
          batch = null;
          files.load([...current.keys()]).then(
            (rows) => current.forEach((waiting, key) => waiting.forEach((w) => w.resolve(rows.get(key) ?? null))),
            (error) => current.forEach((waiting) => waiting.forEach((w) => w.reject(error))),
          );
        });
      }
      if (!batch.has(id)) batch.set(id, []);
      batch.get(id)!.push({ resolve, reject });
    });
  loaders.set(context, load);
  return load;
}
