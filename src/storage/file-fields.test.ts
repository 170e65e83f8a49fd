import { describe, expect, it } from 'vitest';
import type { Datamodel } from '../db/index.ts';
import { accepts, resolveFileFields } from './file-fields.ts';
import { parseDuration, parseSize } from './parse-size.ts';
import { loadStorageConfig } from './storage-config.ts';

const model = (fields: object[]) => ({ models: [{ name: 'Post', fields: [{ name: 'id', type: 'Int', kind: 'scalar', isId: true, isRequired: true, isList: false }, ...fields] }] }) as unknown as Datamodel;
const field = (documentation: string, extra: object = {}) => ({ name: 'cover', type: 'String', kind: 'scalar', isRequired: false, isList: false, isId: false, isUnique: false, documentation, ...extra });

describe('resolveFileFields', () => {
  it('reads @file arguments into a normalised field', () => {
    const fields = resolveFileFields(model([field('An image.\n@file(maxSize: "5MB", accept: ["image/*"])')]));
    expect(fields.get('Post', 'cover')).toEqual({ model: 'Post', field: 'cover', list: false, maxSize: 5_000_000, accept: ['image/*'], maxCount: 10 });
    expect(resolveFileFields(model([field('@file', { type: 'Json' })])).get('Post', 'cover')).toMatchObject({ list: true, maxSize: 10_000_000, accept: [] });
  });

  it('names the field and the expectation when a declaration is wrong', () => {
    expect(() => resolveFileFields(model([field('@file', { isRequired: true })]))).toThrow(/Post.cover @file: a file field is an optional String/);
    expect(() => resolveFileFields(model([field('@file', { type: 'Int' })]))).toThrow(/optional String \(one file\) or Json/);
    expect(() => resolveFileFields(model([field('@file(maxSize: 5MB)')]))).toThrow(/expected arguments like/);
    expect(() => resolveFileFields(model([field('@file(size: "5MB")')]))).toThrow(/unknown argument "size"/);
    expect(() => resolveFileFields(model([field('@file(accept: "image/*")')]))).toThrow(/accept must be a list of types/);
    expect(() => resolveFileFields(model([field('@file(maxSize: "lots")')]))).toThrow(/maxSize must be a size like "5MB"/);
  });

  it('matches sniffed types against accept', () => {
    expect(accepts({ accept: ['image/*'] }, 'image/png')).toBe(true);
    expect(accepts({ accept: ['image/*'] }, 'application/x-elf')).toBe(false);
    expect(accepts({ accept: ['application/pdf'] }, 'application/pdf')).toBe(true);
    expect(accepts({ accept: [] }, 'application/octet-stream')).toBe(true);
  });
});

describe('storage configuration', () => {
  it('parses sizes and durations', () => {
    expect(parseSize('5MB', 'x')).toBe(5_000_000);
    expect(parseSize('512KiB', 'x')).toBe(524_288);
    expect(parseDuration('15m', 'x')).toBe(900);
    expect(parseDuration('7d', 'x')).toBe(604_800);
    expect(() => parseDuration('soon', 'CAIRN_UPLOAD_TTL')).toThrow(/CAIRN_UPLOAD_TTL must be a duration/);
  });

  it('requires a secret in production and a bucket for s3', () => {
    expect(() => loadStorageConfig({ NODE_ENV: 'production' })).toThrow(/CAIRN_STORAGE_SECRET must be set/);
    expect(() => loadStorageConfig({ CAIRN_STORAGE_DRIVER: 's3' })).toThrow(/CAIRN_S3_BUCKET must be set/);
    expect(() => loadStorageConfig({ CAIRN_STORAGE_DRIVER: 'gcs' })).toThrow(/one of local, s3/);
    const s3 = loadStorageConfig({ CAIRN_STORAGE_DRIVER: 's3', CAIRN_S3_BUCKET: 'b', CAIRN_S3_ENDPOINT: 'http://127.0.0.1:9000', CAIRN_S3_FORCE_PATH_STYLE: 'true' });
    expect(s3.s3).toMatchObject({ bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(loadStorageConfig({}).dir).toMatch(/data\/files$/);
  });
});
