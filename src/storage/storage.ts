import type { Readable } from 'node:stream';

/** What a driver knows about a stored object. */
export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
  /** A strong validator of the bytes (quoted, as in an `ETag` header). */
  etag: string;
  lastModified: Date;
  /** The SHA-256 the store itself verified on upload (base64), when it keeps one (S3 with checksums). */
  checksumSha256?: string;
}

/** An inclusive byte range, as HTTP `Range: bytes=start-end` names it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject extends ObjectInfo {
  body: Readable;
  /** The range served, when one was asked for (clamped to the object). */
  range?: ByteRange;
}

export interface DownloadSignOptions {
  /** Seconds the link works for. */
  expiresIn: number;
  /** Sent as `Content-Disposition` (e.g. `attachment; filename="a.pdf"`). */
  contentDisposition: string;
  /** Sent as `Content-Type`: the stored, sniffed type only. */
  contentType: string;
}

export interface UploadSignOptions {
  /** Seconds the target accepts the upload for. */
  expiresIn: number;
  /** The exact size in bytes the upload must have. */
  size: number;
  /** The type the client declared; the upload must carry it. */
  contentType: string;
  /** The hex SHA-256 the bytes must have, for stores that check it themselves on upload (S3). */
  sha256?: string;
}

/**
 * Where a client sends the bytes: `POST` a multipart form with `fields` then the file in a field
 * named `file` (S3 presigned POST), or `PUT` the raw bytes with `headers` (Cairn's own endpoint).
 */
export interface UploadTarget {
  url: string;
  method: 'POST' | 'PUT';
  fields: Record<string, string>;
  headers: Record<string, string>;
}

/**
 * One place bytes live (local disk, an S3-compatible bucket). Keys are Cairn's own
 * (`files/<id>`), never a client's file name. Five operations plus signing and listing.
 */
export interface Storage {
  readonly driver: 'local' | 's3';
  /** Streams `body` to `key`, replacing what was there; resolves with the bytes written. */
  put(key: string, body: Readable, options: { contentType: string }): Promise<{ size: number }>;
  /** Streams the object (or the part of it `range` names); null when there is none. */
  get(key: string, range?: ByteRange): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Removes the object; an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** A link that downloads `key` until it expires, with the headers given. */
  signDownload(key: string, options: DownloadSignOptions): Promise<string>;
  /** A target that accepts exactly one upload of the given size and type to `key` until it expires. */
  signUpload(key: string, options: UploadSignOptions): Promise<UploadTarget>;
  /** Every object under `prefix` (for `cairn storage:gc`). */
  list(prefix: string): AsyncIterable<ObjectInfo>;
}
