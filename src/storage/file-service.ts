import { createHash } from 'node:crypto';
import { badInput, CairnError, forbidden, unauthenticated } from '../errors.ts';
import type { Viewer } from '../schema/index.ts';
import { accepts, type FileField, type FileFields } from './file-fields.ts';
import { checkFileName } from './file-name.ts';
import { readImageSize } from './image-size.ts';
import { signParts, verifyParts } from './sign-url.ts';
import { contentDisposition, sniffBytes, sniffType, servedType } from './sniff-type.ts';
import { fileKey, newFileId } from './stage-file.ts';
import type { StagedUpload } from './staged-upload.ts';
import type { StorageConfig } from './storage-config.ts';
import type { StoredFileRow } from './stored-file.ts';
import type { Storage, UploadTarget } from './storage.ts';

export interface UploadTicket {
  /** Pass it as the file field's value in a create/update once the bytes are uploaded. */
  token: string;
  target: UploadTarget;
  expiresAt: Date;
}

/** The rows and objects of stored files: tickets, attaching, links, deleting. Built once per app. */
export class FileService {
  readonly storage: Storage;
  readonly fields: FileFields;
  readonly config: StorageConfig;
  readonly #db: any;
  readonly #now: () => number;

  constructor(options: { storage: Storage; fields: FileFields; config: StorageConfig; db: unknown; now?: () => number }) {
    this.storage = options.storage;
    this.fields = options.fields;
    this.config = options.config;
    this.#db = options.db;
    this.#now = options.now ?? Date.now;
  }

  get #rows() {
    return this.#db.storedFile;
  }

  #field(model: string, field: string): FileField {
    const found = this.fields.get(model, field);
    if (!found) throw badInput(`${model}.${field} is not a file field; file fields: ${this.fields.all.map((f) => `${f.model}.${f.field}`).join(', ')}.`);
    return found;
  }

  /** `createUploadUrl`: a ticket row and a signed target for exactly these bytes. */
  async createTicket(viewer: Viewer | null, input: { model: string; field: string; name: string; size: number; mimeType: string; sha256: string }): Promise<UploadTicket> {
    if (!viewer) throw unauthenticated('Sign in to upload files.');
    const field = this.#field(input.model, input.field);
    const name = checkFileName(input.name);
    const limit = Math.min(field.maxSize, this.config.maxPresignedBytes);
    if (!Number.isInteger(input.size) || input.size < 1) throw badInput('size must be a positive number of bytes.', { field: 'size' });
    if (input.size > limit) throw new CairnError('PAYLOAD_TOO_LARGE', `${field.model}.${field.field} takes files up to ${limit} bytes.`, { limit });
    if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i.test(input.mimeType)) throw badInput('mimeType must be a type like "image/png".', { field: 'mimeType' });
    const mimeType = input.mimeType.toLowerCase();
    if (!accepts(field, mimeType)) throw badInput(`${field.model}.${field.field} accepts ${field.accept.join(', ')}, not ${mimeType}.`, { field: 'mimeType' });
    if (!/^[0-9a-f]{64}$/i.test(input.sha256)) throw badInput('sha256 must be the hex SHA-256 of the file (64 characters).', { field: 'sha256' });
    const id = newFileId();
    const expiresAt = new Date(this.#now() + this.config.uploadUrlTtl * 1000);
    await this.#rows.create({
      data: { id, key: fileKey(id), name, mimeType, size: input.size, sha256: input.sha256.toLowerCase(), model: field.model, field: field.field, ownerId: String(viewer.id), status: 'ticket', expiresAt },
    });
    const target = await this.storage.signUpload(fileKey(id), { expiresIn: this.config.uploadUrlTtl, size: input.size, contentType: mimeType, sha256: input.sha256.toLowerCase() });
    return { token: `${id}.${signParts(this.config.secret, ['upload-token', id])}`, target, expiresAt };
  }

  /** A file this request streamed, as a `pending` row for `field` (the write that follows attaches it). */
  async claimStaged(upload: StagedUpload, field: FileField, viewer: Viewer | null): Promise<string> {
    const { facts } = upload;
    if (!facts.checkedFor.has(`${field.model}.${field.field}`)) {
      throw badInput(`The upload was checked for ${[...facts.checkedFor].join(', ')}, not ${field.model}.${field.field}.`);
    }
    if (upload.claimed) throw badInput('One upload can fill one file field only.');
    upload.claimed = true;
    await this.#rows.create({
      data: { id: facts.id, key: facts.key, name: facts.name, mimeType: facts.mimeType, size: facts.size, sha256: facts.sha256, width: facts.width, height: facts.height, model: field.model, field: field.field, ownerId: viewer ? String(viewer.id) : null, status: 'pending' },
    });
    return facts.id;
  }

  /**
   * A ticket's token, once its bytes are in storage: checked for its signature, owner, field,
   * expiry and single use, then the stored bytes against the ticket (size, sniffed type, SHA-256).
   * Any failure deletes the object, so a bad upload is not left to the sweep.
   */
  async claimToken(token: string, field: FileField, viewer: Viewer | null): Promise<string> {
    const [id, signature] = token.split('.');
    if (!id || !/^[0-9a-f]{32}$/.test(id) || !verifyParts(this.config.secret, ['upload-token', id], signature ?? null)) {
      throw forbidden('The upload token is not one this server issued.');
    }
    const row = (await this.#rows.findUnique({ where: { id } })) as StoredFileRow | null;
    if (!row) throw forbidden('The upload token is not one this server issued (or its upload was removed).');
    if (row.status !== 'ticket') throw forbidden('The upload token was already used.');
    if (row.ownerId !== (viewer ? String(viewer.id) : null)) throw forbidden('The upload token belongs to another user.');
    if (row.model !== field.model || row.field !== field.field) throw forbidden(`The upload token is for ${row.model}.${row.field}, not ${field.model}.${field.field}.`);
    if (row.expiresAt && row.expiresAt.getTime() < this.#now()) throw forbidden('The upload token has expired.');
    // One write wins the ticket; a concurrent second use sees count 0.
    const { count } = await this.#rows.updateMany({ where: { id, status: 'ticket' }, data: { status: 'pending' } });
    if (count !== 1) throw forbidden('The upload token was already used.');
    try {
      await this.#verifyTicketBytes(row, field);
    } catch (error) {
      await this.discard([id]);
      throw error;
    }
    return id;
  }

  async #verifyTicketBytes(row: StoredFileRow, field: FileField): Promise<void> {
    const head = await this.storage.head(row.key);
    if (!head) throw badInput('Nothing was uploaded for this token yet.');
    if (head.size !== row.size) throw badInput(`The upload has ${head.size} bytes; the ticket said ${row.size}.`);
    const first = await this.storage.get(row.key, { start: 0, end: sniffBytes - 1 });
    const mimeType = await sniffType(Buffer.concat(await first!.body.toArray()));
    if (!accepts(field, mimeType)) throw badInput(`${field.model}.${field.field} accepts ${field.accept.join(', ')}; the file's bytes are ${mimeType}.`, { mimeType });
    if (mimeType !== row.mimeType && !(row.mimeType.startsWith('text/') && mimeType === 'text/plain')) {
      throw badInput(`The upload's bytes are ${mimeType}; the ticket said ${row.mimeType}.`, { mimeType });
    }
    // A store that verified the ticket's checksum itself (S3) spares reading a large object back.
    if (head.checksumSha256 !== Buffer.from(row.sha256, 'hex').toString('base64')) {
      const whole = await this.storage.get(row.key);
      const hash = createHash('sha256');
      for await (const chunk of whole!.body) hash.update(chunk as Buffer);
      if (hash.digest('hex') !== row.sha256) throw badInput("The upload's SHA-256 does not match the ticket's.");
    }
    const size = mimeType.startsWith('image/') ? await readImageSize(this.storage, row.key, row.size) : null;
    await this.#rows.update({ where: { id: row.id }, data: { mimeType, width: size?.width ?? null, height: size?.height ?? null } });
  }

  /** Whether a ticket still takes its upload (not attached yet, not expired). */
  async isOpenTicket(id: string): Promise<boolean> {
    const row = (await this.#rows.findUnique({ where: { id }, select: { status: true, expiresAt: true } })) as Pick<StoredFileRow, 'status' | 'expiresAt'> | null;
    return row?.status === 'ticket' && (!row.expiresAt || row.expiresAt.getTime() >= this.#now());
  }

  /** After the write committed: the files it took are attached (the sweep leaves them alone). */
  async markAttached(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.#rows.updateMany({ where: { id: { in: [...ids] } }, data: { status: 'attached' } });
  }

  /** Deletes rows and their objects (files a failed write took, files a committed write dropped). */
  async discard(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    const rows = (await this.#rows.findMany({ where: { id: { in: [...ids] } }, select: { id: true, key: true } })) as { id: string; key: string }[];
    await Promise.all(rows.map((row) => this.deleteObjects(row.id, row.key)));
    await this.#rows.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  }

  /** The object and its cached variants. */
  async deleteObjects(id: string, key: string): Promise<void> {
    await this.storage.delete(key);
    for await (const variant of this.storage.list(`variants/${id}/`)) await this.storage.delete(variant.key);
  }

  async load(ids: readonly string[]): Promise<Map<string, StoredFileRow>> {
    const rows = (await this.#rows.findMany({ where: { id: { in: [...ids] }, status: { not: 'ticket' } } })) as StoredFileRow[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** A signed, expiring link to the file (or to `key`, a variant of it). */
  url(row: StoredFileRow, key = row.key, mimeType = row.mimeType): Promise<string> {
    return this.storage.signDownload(key, {
      expiresIn: this.config.downloadUrlTtl,
      contentType: servedType(mimeType),
      contentDisposition: contentDisposition(mimeType, row.name),
    });
  }
}
