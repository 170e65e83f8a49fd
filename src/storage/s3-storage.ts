import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { ByteRange, DownloadSignOptions, ObjectInfo, Storage, StoredObject, UploadSignOptions, UploadTarget } from './storage.ts';
import { assertKey } from './storage-key.ts';

export interface S3StorageOptions {
  bucket: string;
  /** @default "us-east-1" */
  region?: string;
  /** An S3-compatible endpoint (MinIO, R2, s3rver); AWS itself when omitted. */
  endpoint?: string;
  /** `bucket` in the path instead of the host name (most S3-compatible servers need it). @default false */
  forcePathStyle?: boolean;
  /** Static credentials; the AWS SDK's default chain (env, profile, instance role) when omitted. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/** Objects in an S3-compatible bucket (AWS SDK v3); links are presigned GET URLs and presigned POSTs. */
export class S3Storage implements Storage {
  readonly driver = 's3';
  readonly client: S3Client;
  readonly #bucket: string;

  constructor(options: S3StorageOptions) {
    const config: S3ClientConfig = {
      region: options.region ?? 'us-east-1',
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.endpoint && { endpoint: options.endpoint }),
      ...(options.credentials && { credentials: options.credentials }),
      // Checksums on every request (SDK >= 3.729) break on S3-compatible servers that know none.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    this.client = new S3Client(config);
    this.#bucket = options.bucket;
  }

  async put(key: string, body: Readable, { contentType }: { contentType: string }): Promise<{ size: number }> {
    let size = 0;
    body.on('data', (chunk: Buffer) => (size += chunk.length));
    // Multipart upload in 5 MB parts: memory stays at a few parts whatever the size.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.#bucket, Key: assertKey(key), Body: body, ContentType: contentType },
      queueSize: 2,
    });
    await upload.done();
    return { size };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: assertKey(key), ChecksumMode: 'ENABLED' }));
      // A multipart object's checksum is of its parts ("…-3"), not of the bytes: not reported.
      const checksum = out.ChecksumSHA256 && !out.ChecksumSHA256.includes('-') ? out.ChecksumSHA256 : undefined;
      return { key, size: out.ContentLength ?? 0, contentType: out.ContentType ?? 'application/octet-stream', etag: out.ETag ?? '""', lastModified: out.LastModified ?? new Date(0), ...(checksum && { checksumSha256: checksum }) };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: assertKey(key), ...(range && { Range: `bytes=${range.start}-${range.end}` }) }),
      );
      const served = out.ContentRange && /bytes (\d+)-(\d+)\/(\d+)/.exec(out.ContentRange);
      const size = served ? Number(served[3]) : out.ContentLength ?? 0;
      return {
        key,
        size,
        contentType: out.ContentType ?? 'application/octet-stream',
        etag: out.ETag ?? '""',
        lastModified: out.LastModified ?? new Date(0),
        body: out.Body as Readable,
        ...(served && { range: { start: Number(served[1]), end: Number(served[2]) } }),
      };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: assertKey(key) }));
  }

  async signDownload(key: string, { expiresIn, contentDisposition, contentType }: DownloadSignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: assertKey(key),
      ResponseContentDisposition: contentDisposition,
      ResponseContentType: contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn });
  }

  async signUpload(key: string, { expiresIn, size, contentType, sha256 }: UploadSignOptions): Promise<UploadTarget> {
    // S3 itself refuses a body of another size, type or checksum: the fields are part of the signed policy.
    const checksum: Record<string, string> = sha256 ? { 'x-amz-checksum-algorithm': 'SHA256', 'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64') } : {};
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.#bucket,
      Key: assertKey(key),
      Expires: expiresIn,
      Conditions: [
        ['content-length-range', size, size],
        ['eq', '$Content-Type', contentType],
      ],
      Fields: { 'Content-Type': contentType, ...checksum },
    });
    return { url, method: 'POST', fields, headers: {} };
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        yield { key: object.Key!, size: object.Size ?? 0, contentType: '', etag: object.ETag ?? '""', lastModified: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
