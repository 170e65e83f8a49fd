import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStorageConfig, type Storage, type StorageConfig } from '../../src/storage/index.ts';
import type { Provider } from '../../src/db/index.ts';
import { createTestApp, testViewerHeader, type TestApp } from '../support/test-app.ts';

export interface StorageTestApp extends TestApp {
  /** The real HTTP server's base URL (uploads and downloads go over a socket, like a browser's). */
  base: string;
  dir: string;
  config: StorageConfig;
  /** POSTs a GraphQL multipart request built the way apollo-upload-client builds it. */
  upload(query: string, variables: Record<string, unknown>, files: Record<string, FilePart>, options?: { viewer?: number | null; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  /** A JSON GraphQL request over HTTP as the given viewer. */
  query(query: string, variables?: Record<string, unknown>, viewer?: number | null): Promise<any>;
}

export interface FilePart {
  bytes: Uint8Array;
  name: string;
  type?: string;
}

export const viewerHeaders = (viewer: number | null | undefined): Record<string, string> =>
  viewer == null ? {} : { [testViewerHeader]: JSON.stringify({ id: viewer, roles: [] }) };

export async function createStorageTestApp(provider: Provider, env: Record<string, string> = {}, driver?: Storage, now?: () => number): Promise<StorageTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-storage-'));
  let base = '';
  // PUBLIC_URL is only known once the port is: the local driver reads it through the config object.
  const config = { ...loadStorageConfig({ CAIRN_STORAGE_DIR: dir, CAIRN_STORAGE_SECRET: randomBytes(32).toString('hex'), ...env }), publicUrl: 'http://127.0.0.1:0' };
  const t = await createTestApp('files', provider, {}, { viewerHeader: true, storage: { config, driver, now } });
  const { port } = await t.app.start();
  base = `http://127.0.0.1:${port}`;
  (t.app.files!.storage as any).setBaseUrl?.(base);
  return {
    ...t,
    base,
    dir,
    config,
    async upload(query, variables, files, { viewer, headers = { 'apollo-require-preflight': 'true' } } = {}) {
      const form = multipartForm(query, variables, files);
      const response = await fetch(`${base}/graphql`, { method: 'POST', body: form, headers: { ...viewerHeaders(viewer), ...headers } });
      return { status: response.status, body: await response.json() };
    },
    async query(query, variables, viewer) {
      const response = await fetch(`${base}/graphql`, { method: 'POST', body: JSON.stringify({ query, variables }), headers: { 'content-type': 'application/json', ...viewerHeaders(viewer) } });
      return response.json();
    },
    async close() {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * apollo-upload-client's body: `operations` with each file replaced by null, `map` from the file
 * keys "1", "2", … to their variable paths, then the files in that order.
 */
export function multipartForm(query: string, variables: Record<string, unknown>, files: Record<string, FilePart>): FormData {
  const vars = structuredClone(variables);
  const map: Record<string, string[]> = {};
  const form = new FormData();
  Object.keys(files).forEach((path, i) => {
    map[String(i + 1)] = [path];
    setPath({ variables: vars }, path, null);
  });
  form.append('operations', JSON.stringify({ query, variables: vars }));
  form.append('map', JSON.stringify(map));
  Object.values(files).forEach((file, i) => form.append(String(i + 1), new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? 'application/octet-stream' }), file.name));
  return form;
}

function setPath(target: any, path: string, value: unknown) {
  const keys = path.split('.');
  let current = target;
  keys.slice(0, -1).forEach((key, i) => (current = current[key] ??= /^\d+$/.test(keys[i + 1]!) ? [] : {}));
  current[keys.at(-1)!] = value;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
