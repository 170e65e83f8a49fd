import { delegateName, primaryKeyFields, type Datamodel } from '../db/index.ts';
import type { ChangeEvent, WriteObserver } from '../events/index.ts';
import type { FileField } from './file-fields.ts';
import type { FileService } from './file-service.ts';
import type { StoredFileRow } from './stored-file.ts';

/** The file ids a row's file field holds (one id, or a Json list of ids). */
export function fileIdsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * After commit, the files a write dropped go: a replaced or removed file, and every file of a
 * deleted row (cascades and *Many included, since change capture reports each row). Files it
 * took are marked attached. A rolled-back write publishes nothing, so nothing is deleted early.
 */
export function fileLifecycleObserver(files: FileService, logError: (error: unknown) => void): WriteObserver & { settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  return {
    /** Resolves once the clean-ups already started have finished (tests, shutdown). */
    async settled() {
      while (running.size) await Promise.allSettled([...running]);
    },
    afterCommit(changes: readonly ChangeEvent[]) {
      const dropped: string[] = [];
      const kept: string[] = [];
      for (const change of changes) {
        for (const field of files.fields.ofModel(change.model)) {
          const before = new Set(fileIdsOf(change.before?.[field.field]));
          const after = new Set(fileIdsOf(change.after?.[field.field]));
          for (const id of before) if (!after.has(id)) dropped.push(id);
          for (const id of after) if (!before.has(id)) kept.push(id);
        }
      }
      if (!dropped.length && !kept.length) return;
      const keep = new Set(kept);
      const work = Promise.all([files.discard(dropped.filter((id) => !keep.has(id))), files.markAttached(kept)]).catch(logError);
      running.add(work);
      void work.finally(() => running.delete(work));
    },
  };
}

export interface GcReport {
  /** Rows removed: expired tickets, uploads never attached within the TTL, attached files no row holds (full runs). */
  rows: string[];
  /** Objects removed that had no row (full runs). */
  objects: string[];
}

/**
 * Removes what no row holds. The sweep (every run): tickets past their deadline and uploads left
 * unattached longer than `CAIRN_UPLOAD_TTL`. A full run (`cairn storage:gc`) also removes attached
 * files no row references and objects without a row older than the TTL. Held files are never
 * removed: each candidate is checked against the file columns of every model.
 */
export async function collectGarbage(files: FileService, db: any, datamodel: Datamodel, options: { full?: boolean; dryRun?: boolean; now?: number } = {}): Promise<GcReport> {
  const now = options.now ?? Date.now();
  const cutoff = new Date(now - files.config.uploadTtl * 1000);
  const referenced = await referencedIds(files.fields.all, db, datamodel);
  const where = options.full
    ? {}
    : { OR: [{ status: 'ticket', expiresAt: { lt: new Date(now) } }, { status: { in: ['ticket', 'pending'] }, createdAt: { lt: cutoff } }] };
  const candidates = (await db.storedFile.findMany({ where, select: { id: true, key: true, status: true, createdAt: true, expiresAt: true } })) as StoredFileRow[];
  const rows = candidates
    .filter((row) => !referenced.has(row.id))
    .filter((row) => row.status === 'attached' || (row.status === 'ticket' && row.expiresAt && row.expiresAt.getTime() < now) || row.createdAt < cutoff)
    .map((row) => row.id);
  const objects: string[] = [];
  if (options.full) {
    const known = new Set(((await db.storedFile.findMany({ select: { id: true } })) as { id: string }[]).map((r) => r.id));
    for (const prefix of ['files/', 'variants/']) {
      for await (const object of files.storage.list(prefix)) {
        const id = object.key.split('/')[1]!;
        if (!known.has(id) && !referenced.has(id) && object.lastModified < cutoff) objects.push(object.key);
      }
    }
  }
  if (!options.dryRun) {
    await files.discard(rows);
    for (const key of objects) await files.storage.delete(key);
  }
  return { rows, objects };
}

/** Every file id some row holds, read in pages of 1000 per model with file fields. */
async function referencedIds(fields: readonly FileField[], db: any, datamodel: Datamodel): Promise<Set<string>> {
  const ids = new Set<string>();
  const byModel = new Map<string, FileField[]>();
  for (const f of fields) byModel.set(f.model, [...(byModel.get(f.model) ?? []), f]);
  for (const [modelName, modelFields] of byModel) {
    const model = datamodel.models.find((m) => m.name === modelName)!;
    const orderBy = primaryKeyFields(model).map((f) => ({ [f]: 'asc' }));
    const select = Object.fromEntries(modelFields.map((f) => [f.field, true]));
    for (let skip = 0; ; skip += 1000) {
      const page = (await db[delegateName(model)].findMany({ select, orderBy, skip, take: 1000 })) as Record<string, unknown>[];
      for (const row of page) for (const f of modelFields) for (const id of fileIdsOf(row[f.field])) ids.add(id);
      if (page.length < 1000) break;
    }
  }
  return ids;
}
