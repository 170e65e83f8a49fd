import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Datamodel } from '../db/index.ts';
import type { WriteObserver } from '../events/index.ts';
import type { FieldTypes, SchemaExtension } from '../schema/index.ts';
import { collectGarbage, fileLifecycleObserver, type GcReport } from './file-lifecycle.ts';
import { resolveFileFields, type FileFields } from './file-fields.ts';
import { FileService } from './file-service.ts';
import { LocalStorage } from './local-storage.ts';
import { fileFieldTypes, registerFileSchema } from './register-file-schema.ts';
import { S3Storage } from './s3-storage.ts';
import type { StorageConfig } from './storage-config.ts';
import { storedFileModel } from './stored-file.ts';
import type { Storage } from './storage.ts';
import { useMultipartUploads } from './use-multipart-uploads.ts';
import { useStorageRoutes } from './use-storage-routes.ts';
import { wrapFileMutations } from './wrap-file-mutations.ts';

export interface FileStorageOptions {
  datamodel: Datamodel;
  /** The raw client (StoredFile rows are Cairn's bookkeeping, not the app's rules). */
  db: unknown;
  config: StorageConfig;
  /** Replaces the driver `config` names (tests, embedders). */
  storage?: Storage;
  logError?: (error: unknown) => void;
  /** The clock (tests). @default Date.now */
  now?: () => number;
}

/** Everything file fields plug into: the schema seam, the yoga plugins, the change observer, gc. */
export interface FileStorage {
  storage: Storage;
  files: FileService;
  fields: FileFields;
  fieldTypes: FieldTypes;
  extendSchema: SchemaExtension;
  /** Wraps the built schema's mutations that take files (call once, after `buildSchema`). */
  wrapSchema(schema: GraphQLSchema): void;
  /** Multipart uploads and, for the local driver, the `/storage/` routes. */
  plugins(schema: GraphQLSchema): Plugin[];
  /** Deletes dropped files after commit. */
  observer: WriteObserver;
  /** See `collectGarbage`: the periodic sweep, or with `full` what `cairn storage:gc` runs. */
  collectGarbage(options?: { full?: boolean; dryRun?: boolean; now?: number }): Promise<GcReport>;
  /** Resolves once the after-commit clean-ups already started have finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Null when the schema declares no file field: then nothing of storage is built. */
export function createFileStorage(options: FileStorageOptions): FileStorage | null {
  const fields = resolveFileFields(options.datamodel);
  if (!fields.all.length) return null;
  const model = options.datamodel.models.find((m) => m.name === 'StoredFile');
  const missing = ['id', 'key', 'name', 'mimeType', 'size', 'sha256', 'width', 'height', 'model', 'field', 'ownerId', 'status', 'expiresAt', 'createdAt'].filter(
    (name) => !model?.fields.some((f) => f.name === name),
  );
  if (missing.length) {
    throw new Error(`File fields (${fields.all.map((f) => `${f.model}.${f.field}`).join(', ')}) keep their metadata in a StoredFile model; ${model ? `it lacks ${missing.join(', ')}` : 'add it'}:\n\n${storedFileModel}`);
  }
  const { config } = options;
  const storage =
    options.storage ??
    (config.driver === 's3'
      ? new S3Storage(config.s3!)
      : new LocalStorage({ root: config.dir, secret: config.secret, baseUrl: config.publicUrl, now: options.now }));
  const files = new FileService({ storage, fields, config, db: options.db, now: options.now });
  const logError = options.logError ?? console.error;
  const gc = (gcOptions: { full?: boolean; dryRun?: boolean; now?: number } = {}) => collectGarbage(files, options.db, options.datamodel, { now: options.now?.(), ...gcOptions });
  // The sweep of unattached uploads, hourly (or at the TTL when shorter); never keeps the process alive.
  const observer = fileLifecycleObserver(files, logError);
  const timer = setInterval(() => void gc().catch(logError), Math.min(config.uploadTtl, 3600) * 1000);
  timer.unref();
  return {
    storage,
    files,
    fields,
    fieldTypes: fileFieldTypes(files),
    extendSchema: registerFileSchema(files),
    wrapSchema: (schema) => wrapFileMutations(schema, files),
    plugins: (schema) => [
      useMultipartUploads({ schema, fileFields: fields, storage, maxFiles: config.maxFiles, maxRequestBytes: config.maxRequestBytes }),
      storage instanceof LocalStorage && useStorageRoutes(storage, files),
    ].filter((p): p is Plugin => Boolean(p)),
    observer,
    collectGarbage: gc,
    settled: () => observer.settled(),
    async close() {
      clearInterval(timer);
      await observer.settled();
    },
  };
}
