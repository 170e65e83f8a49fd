import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseDuration, parseSize } from './parse-size.ts';

type Env = Record<string, string | undefined>;

/** Storage's configuration, read from the environment once at boot (README "Files"). */
export interface StorageConfig {
  /** `CAIRN_STORAGE_DRIVER`: `local` (a folder) or `s3` (an S3-compatible bucket). @default "local" */
  driver: 'local' | 's3';
  /** `CAIRN_STORAGE_DIR`: the local driver's folder. @default "./data/files" */
  dir: string;
  /**
   * `CAIRN_STORAGE_SECRET`: signs local download/upload links and upload tokens (≥ 32 characters).
   * Required in production; a random one per process otherwise (links die with the process).
   */
  secret: string;
  /** `PUBLIC_URL`: where clients reach this Cairn; local links start with it. */
  publicUrl: string;
  /** `CAIRN_S3_BUCKET`, `CAIRN_S3_REGION` (@default "us-east-1"), `CAIRN_S3_ENDPOINT` (S3-compatible servers), `CAIRN_S3_FORCE_PATH_STYLE` (@default false), `CAIRN_S3_ACCESS_KEY_ID` + `CAIRN_S3_SECRET_ACCESS_KEY` (else the AWS SDK's default chain). */
  s3?: { bucket: string; region: string; endpoint?: string; forcePathStyle: boolean; credentials?: { accessKeyId: string; secretAccessKey: string } };
  /** `CAIRN_UPLOAD_TTL`: how long an upload (or upload ticket) may stay unattached before the sweep removes it, in seconds. @default 86400 (24h) */
  uploadTtl: number;
  /** `CAIRN_UPLOAD_URL_TTL`: how long a `createUploadUrl` target accepts the upload, in seconds. @default 900 (15m) */
  uploadUrlTtl: number;
  /** `CAIRN_DOWNLOAD_URL_TTL`: how long a `File.url` link works, in seconds. @default 3600 (1h) */
  downloadUrlTtl: number;
  /** `CAIRN_MAX_UPLOAD_FILES`: the most files one GraphQL multipart request carries. @default 10 */
  maxFiles: number;
  /** `CAIRN_MAX_UPLOAD_BYTES`: the most bytes of files one GraphQL multipart request carries (bigger files go through `createUploadUrl`). @default 50MB */
  maxRequestBytes: number;
  /** `CAIRN_MAX_PRESIGNED_BYTES`: the largest file `createUploadUrl` accepts, whatever a field's `maxSize`. @default 2GB (the most a `StoredFile.size Int` holds) */
  maxPresignedBytes: number;
}

export function loadStorageConfig(env: Env = process.env, defaults: { publicUrl?: string; production?: boolean } = {}): StorageConfig {
  const production = defaults.production ?? env.NODE_ENV === 'production';
  const secret = env.CAIRN_STORAGE_SECRET || (production ? '' : randomBytes(32).toString('base64url'));
  if (secret.length < 32) throw new Error('CAIRN_STORAGE_SECRET must be set to at least 32 random characters in production (it signs file links and upload tokens)');
  const driver = env.CAIRN_STORAGE_DRIVER || 'local';
  if (driver !== 'local' && driver !== 's3') throw new Error(`CAIRN_STORAGE_DRIVER must be one of local, s3, got "${driver}"`);
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
    return Number(raw);
  };
  const size = (name: string, fallback: number) => (env[name] ? parseSize(env[name]!, name) : fallback);
  const duration = (name: string, fallback: number) => (env[name] ? parseDuration(env[name]!, name) : fallback);
  let s3: StorageConfig['s3'];
  if (driver === 's3') {
    if (!env.CAIRN_S3_BUCKET) throw new Error('CAIRN_S3_BUCKET must be set when CAIRN_STORAGE_DRIVER=s3');
    if (!env.CAIRN_S3_ACCESS_KEY_ID !== !env.CAIRN_S3_SECRET_ACCESS_KEY) throw new Error('CAIRN_S3_ACCESS_KEY_ID and CAIRN_S3_SECRET_ACCESS_KEY must be set together');
    s3 = {
      bucket: env.CAIRN_S3_BUCKET,
      region: env.CAIRN_S3_REGION || 'us-east-1',
      endpoint: env.CAIRN_S3_ENDPOINT || undefined,
      forcePathStyle: ['1', 'true', 'yes'].includes(env.CAIRN_S3_FORCE_PATH_STYLE ?? ''),
      credentials: env.CAIRN_S3_ACCESS_KEY_ID ? { accessKeyId: env.CAIRN_S3_ACCESS_KEY_ID, secretAccessKey: env.CAIRN_S3_SECRET_ACCESS_KEY! } : undefined,
    };
  }
  return {
    driver,
    dir: resolve(env.CAIRN_STORAGE_DIR || './data/files'),
    secret,
    publicUrl: (env.PUBLIC_URL || defaults.publicUrl || 'http://localhost:4000').replace(/\/+$/, ''),
    s3,
    uploadTtl: duration('CAIRN_UPLOAD_TTL', 86_400),
    uploadUrlTtl: duration('CAIRN_UPLOAD_URL_TTL', 900),
    downloadUrlTtl: duration('CAIRN_DOWNLOAD_URL_TTL', 3600),
    maxFiles: int('CAIRN_MAX_UPLOAD_FILES', 10),
    maxRequestBytes: size('CAIRN_MAX_UPLOAD_BYTES', 50_000_000),
    maxPresignedBytes: Math.min(size("CAIRN_MAX_PRESIGNED_BYTES", 2_000_000_000), 2 ** 31 - 1),
  };
}
