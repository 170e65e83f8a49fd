import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, DownloadSignOptions, ObjectInfo, Storage, StoredObject, UploadSignOptions, UploadTarget } from './storage.ts';
import { assertKey } from './storage-key.ts';
import { signParts, verifyParts } from './sign-url.ts';

export interface LocalStorageOptions {
  /** The folder objects are kept in. @default "./data/files" */
  root: string;
  /** Signs download and upload links (HMAC-SHA256). */
  secret: string;
  /** Where clients reach this Cairn (`PUBLIC_URL`); links are `<baseUrl>/storage/<key>?…`. */
  baseUrl: string;
  /** The clock (tests). @default Date.now */
  now?: () => number;
}

interface Meta {
  contentType: string;
  etag: string;
}

/** The path links to this driver's objects start with. */
export const localRoutePrefix = '/storage/';

/**
 * Objects as files under `root`, written to a temporary file and renamed into place (a failed or
 * cut-off upload never leaves a partial object), with the type and ETag in a `.meta` file beside
 * each. Links point at Cairn's own `/storage/` route, which checks the signature this driver made.
 */
export class LocalStorage implements Storage {
  readonly driver = 'local';
  readonly #root: string;
  readonly #secret: string;
  #baseUrl: string;
  readonly #now: () => number;

  constructor(options: LocalStorageOptions) {
    this.#root = options.root;
    this.#secret = options.secret;
    this.#baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#now = options.now ?? Date.now;
  }

  /** Where links point from now on (a server that learns its port after boot). */
  setBaseUrl(baseUrl: string): void {
    this.#baseUrl = baseUrl.replace(/\/$/, '');
  }

  #path(key: string): string {
    return join(this.#root, ...assertKey(key).split('/'));
  }

  async put(key: string, body: Readable, { contentType }: { contentType: string }): Promise<{ size: number }> {
    const path = this.#path(key);
    const temp = join(this.#root, '.tmp', randomBytes(12).toString('hex'));
    await mkdir(dirname(temp), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, count, createWriteStream(temp));
      await mkdir(dirname(path), { recursive: true });
      const meta: Meta = { contentType, etag: `"${hash.digest('base64url').slice(0, 32)}"` };
      await writeFile(`${path}.meta`, JSON.stringify(meta));
      await rename(temp, path);
      return { size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const path = this.#path(key);
    try {
      const [info, meta] = await Promise.all([stat(path), readFile(`${path}.meta`, 'utf8')]);
      const { contentType, etag } = JSON.parse(meta) as Meta;
      return { key, size: info.size, contentType, etag, lastModified: info.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    const info = await this.head(key);
    if (!info) return null;
    const served = range && clampRange(range, info.size);
    const body = createReadStream(this.#path(key), served ? { start: served.start, end: served.end } : {});
    return { ...info, body, ...(served && { range: served }) };
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    await Promise.all([rm(path, { force: true }), rm(`${path}.meta`, { force: true })]);
  }

  async signDownload(key: string, { expiresIn, contentDisposition, contentType }: DownloadSignOptions): Promise<string> {
    const exp = String(Math.floor(this.#now() / 1000) + expiresIn);
    const sig = signParts(this.#secret, ['GET', assertKey(key), exp, contentDisposition, contentType]);
    const query = new URLSearchParams({ exp, cd: contentDisposition, ct: contentType, sig });
    return `${this.#baseUrl}${localRoutePrefix}${key}?${query}`;
  }

  async signUpload(key: string, { expiresIn, size, contentType }: UploadSignOptions): Promise<UploadTarget> {
    const exp = String(Math.floor(this.#now() / 1000) + expiresIn);
    const sig = signParts(this.#secret, ['PUT', assertKey(key), exp, String(size), contentType]);
    const query = new URLSearchParams({ exp, size: String(size), ct: contentType, sig });
    return { url: `${this.#baseUrl}${localRoutePrefix}${key}?${query}`, method: 'PUT', fields: {}, headers: { 'content-type': contentType } };
  }

  /**
   * What a link to `/storage/<key>` grants, or null when its signature is wrong or it has expired.
   * The route serves exactly what was signed: the key, the headers (GET) or the size and type (PUT).
   */
  verify(method: 'GET' | 'PUT', key: string, query: URLSearchParams): { contentDisposition: string; contentType: string; size: number } | null {
    const exp = query.get('exp') ?? '';
    const contentType = query.get('ct') ?? '';
    const parts = method === 'GET' ? ['GET', key, exp, query.get('cd') ?? '', contentType] : ['PUT', key, exp, query.get('size') ?? '', contentType];
    if (!/^\d+$/.test(exp) || Number(exp) * 1000 < this.#now()) return null;
    try {
      assertKey(key);
    } catch {
      return null;
    }
    if (!verifyParts(this.#secret, parts, query.get('sig'))) return null;
    return { contentDisposition: query.get('cd') ?? '', contentType, size: Number(query.get('size') ?? 0) };
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const start = join(this.#root, ...prefix.split('/').filter(Boolean));
    let entries: string[];
    try {
      entries = (await readdir(start, { recursive: true })) as string[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries.sort()) {
      if (entry.endsWith('.meta')) continue;
      const key = relative(this.#root, join(start, entry)).split(sep).join('/');
      const info = await this.head(key).catch(() => null);
      if (info) yield info;
    }
  }
}

/** A range within `size` (an open end or one past the last byte is cut to it). */
export function clampRange({ start, end }: ByteRange, size: number): ByteRange {
  return { start, end: Math.min(end, size - 1) };
}
