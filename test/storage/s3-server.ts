import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { S3Storage } from '../../src/storage/index.ts';

export interface TestS3 {
  storage: S3Storage;
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on a free loopback port, with one bucket, removed on close. */
export async function startS3(): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'cairn-s3-'));
  const bucket = 'cairn-test';
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const storage = new S3Storage({ bucket, endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return {
    storage,
    endpoint,
    bucket,
    async close() {
      storage.client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
