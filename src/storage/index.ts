/**
 * File storage: the Storage interface and its drivers (local disk, S3-compatible), file fields
 * declared with `/// @file(...)` in schema.prisma, uploads (GraphQL multipart, presigned),
 * signed downloads, image variants, and clean-up after commit.
 */
export type { Storage, ObjectInfo, StoredObject, ByteRange, DownloadSignOptions, UploadSignOptions, UploadTarget } from './storage.ts';
export { LocalStorage, localRoutePrefix, type LocalStorageOptions } from './local-storage.ts';
export { S3Storage, type S3StorageOptions } from './s3-storage.ts';
export { createFileStorage, type FileStorage, type FileStorageOptions } from './create-file-storage.ts';
export { loadStorageConfig, type StorageConfig } from './storage-config.ts';
export { resolveFileFields, type FileField, type FileFields } from './file-fields.ts';
export { csrfHeaders } from './use-multipart-uploads.ts';
export { storedFileModel, type StoredFileRow } from './stored-file.ts';
export type { GcReport } from './file-lifecycle.ts';
