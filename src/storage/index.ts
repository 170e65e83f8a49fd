/**
 * File storage: the Storage interface and its drivers (local disk, S3-compatible), file fields
 * declared with `/// @file(...)` in schema.prisma, uploads (GraphQL multipart, presigned),
 * signed downloads, image variants, and clean-up after commit.
 */
export type { Storage, ObjectInfo, StoredObject, ByteRange, DownloadSignOptions, UploadSignOptions, UploadTarget } from './storage.ts';
export { LocalStorage, localRoutePrefix, type LocalStorageOptions } from './local-storage.ts';
export { S3Storage, type S3StorageOptions } from './s3-storage.ts';
