import { Busboy, type BusboyInstance } from '@fastify/busboy';
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Readable } from 'node:stream';
import { badInput, CairnError, isCairnError } from '../errors.ts';
import { checkFileName } from './file-name.ts';
import type { FileFields } from './file-fields.ts';
import { stageFile, tooLarge } from './stage-file.ts';
import type { StagedUpload } from './staged-upload.ts';
import type { Storage } from './storage.ts';
import { createUploadPaths } from './upload-paths.ts';

/**
 * Headers that prove a request did not come from a plain HTML form (which cannot set headers):
 * what Apollo Client (`Apollo-Require-Preflight`), yoga (`x-graphql-yoga-csrf`) and the GraphQL
 * over HTTP draft (`GraphQL-Preflight`) send.
 */
export const csrfHeaders = ['apollo-require-preflight', 'x-graphql-yoga-csrf', 'graphql-preflight', 'x-apollo-operation-name'] as const;

export interface MultipartUploadOptions {
  schema: GraphQLSchema;
  fileFields: FileFields;
  storage: Storage;
  /** The most files per request. */
  maxFiles: number;
  /** The most bytes of files per request. */
  maxRequestBytes: number;
}

/** How much of a refused request's body is still read so the client sees the error. */
const drainBytes = 1_000_000;

/** The files each request staged, deleted after the response unless a write claimed them. */
const stagedByRequest = new WeakMap<Request, StagedUpload[]>();
/** Requests refused before their body was read to the end. */
const refused = new WeakSet<Request>();

/**
 * The GraphQL multipart request spec (apollo-upload-client), streamed: each file goes straight
 * into storage while its size, type and the request's totals are checked, so nothing is buffered
 * in memory and an oversized file stops the read at its limit. Needs a CSRF-prevention header.
 */
export function useMultipartUploads(options: MultipartUploadOptions): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST' || !/^multipart\/form-data/i.test(request.headers.get('content-type') ?? '')) return;
      if (!csrfHeaders.some((h) => request.headers.get(h))) {
        throw new CairnError('FORBIDDEN', `Multipart requests need a CSRF-prevention header: send "Apollo-Require-Preflight: true" (or one of ${csrfHeaders.join(', ')}).`);
      }
      setRequestParser(async (req) => {
        const staged: StagedUpload[] = [];
        stagedByRequest.set(req, staged);
        return parseMultipart(req, options, staged).catch((error) => {
          refused.add(req);
          throw error;
        });
      });
    },
    async onResponse({ request, response }) {
      // Node would otherwise read the rest of a refused body to keep the connection: close it instead.
      if (refused.has(request)) response.headers.set('connection', 'close');
      const staged = stagedByRequest.get(request);
      if (!staged) return;
      stagedByRequest.delete(request);
      await Promise.all(staged.filter((s) => !s.claimed).map((s) => options.storage.delete(s.facts.key).catch(() => {})));
    },
  };
}

function parseMultipart(request: Request, options: MultipartUploadOptions, staged: StagedUpload[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const source = request.body ? Readable.from(request.body as unknown as AsyncIterable<Uint8Array>) : Readable.from([]);
    let busboy: BusboyInstance;
    try {
      busboy = new Busboy({
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
        // The name as sent, so a path in it is refused rather than silently cut off.
        preservePath: true,
        limits: { fields: 2, fieldSize: 1_000_000, files: options.maxFiles + 1, parts: options.maxFiles + 3 },
      });
    } catch (error) {
      reject(badInput(`Malformed multipart request: ${(error as Error).message}`));
      return;
    }
    let operations: Record<string, unknown> | undefined;
    let fieldsFor: ((path: string) => import('./file-fields.ts').FileField[]) | undefined;
    let map: Record<string, string[]> | undefined;
    const received = new Map<string, StagedUpload>();
    let files = 0;
    let total = 0;
    let work = Promise.resolve();
    let done = false;

    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      source.unpipe(busboy);
      busboy.destroy();
      // Read (and drop) a little more so the client, still sending, gets to read the error; past
      // that the connection is cut rather than the rest of a large body read for nothing.
      let drained = 0;
      source.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > drainBytes) source.destroy();
      });
      source.resume();
      const coded = isCairnError(error) ? error : badInput(`Malformed multipart request: ${(error as Error).message}`);
      // Everything this request stored so far goes (the response hook would too; this is sooner).
      Promise.all(staged.map((s) => options.storage.delete(s.facts.key).catch(() => {}))).finally(() => reject(coded));
    };

    busboy.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (done) return;
      if (valueTruncated) return fail(new CairnError('PAYLOAD_TOO_LARGE', `Multipart field "${name}" is too large.`));
      try {
        if (name === 'operations') {
          operations = parseJson(value, 'operations') as Record<string, unknown>;
          if (Array.isArray(operations) || typeof operations !== 'object' || !operations) throw badInput('Multipart "operations" must be one operation object (batched uploads are not supported).');
          fieldsFor = createUploadPaths(options.schema, options.fileFields, operations);
        } else if (name === 'map') {
          if (!fieldsFor) throw badInput('Multipart field "map" must come after "operations".');
          map = parseMap(parseJson(value, 'map'));
          for (const paths of Object.values(map)) for (const path of paths) fieldsFor(path);
        } else {
          throw badInput(`Unexpected multipart field "${name}" (expected "operations", "map", then files).`);
        }
      } catch (error) {
        fail(error);
      }
    });

    busboy.on('file', (name, stream, filename) => {
      if (done) return void stream.resume();
      files += 1;
      work = work.then(async () => {
        try {
          if (!map) throw badInput('Multipart files must come after "operations" and "map".');
          const paths = map[name];
          if (!paths) throw badInput(`Multipart file "${name}" is not in the map.`);
          if (received.has(name)) throw badInput(`Multipart file "${name}" is sent twice.`);
          if (files > options.maxFiles) throw new CairnError('PAYLOAD_TOO_LARGE', `A request carries at most ${options.maxFiles} files.`, { limit: options.maxFiles });
          const fields = [...new Set(paths.flatMap((p) => fieldsFor!(p)))];
          const upload = await stageFile(options.storage, stream, {
            name: checkFileName(filename),
            fields,
            count: (bytes) => {
              total += bytes;
              if (total > options.maxRequestBytes) throw tooLarge("This request's files", options.maxRequestBytes);
            },
          });
          staged.push(upload);
          received.set(name, upload);
        } catch (error) {
          stream.resume();
          fail(error);
        }
      });
    });

    busboy.on('filesLimit', () => fail(new CairnError('PAYLOAD_TOO_LARGE', `A request carries at most ${options.maxFiles} files.`, { limit: options.maxFiles })));
    busboy.on('fieldsLimit', () => fail(badInput('A multipart request has only the fields "operations" and "map" besides its files.')));
    busboy.on('partsLimit', () => fail(new CairnError('PAYLOAD_TOO_LARGE', 'Too many parts in the multipart request.')));
    busboy.on('error', fail);
    source.on('error', fail);
    busboy.on('finish', () => {
      work.then(() => {
        if (done) return;
        try {
          if (!operations) throw badInput('Missing multipart field "operations".');
          for (const [name, paths] of Object.entries(map ?? {})) {
            const upload = received.get(name);
            if (!upload) throw badInput(`Multipart map names file "${name}", which the request does not carry.`);
            for (const path of paths) setPath(operations, path, upload);
          }
          done = true;
          resolve(operations);
        } catch (error) {
          fail(error);
        }
      });
    });
    source.pipe(busboy);
  });
}

function parseJson(value: string, what: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw badInput(`Multipart "${what}" is not valid JSON.`);
  }
}

function parseMap(value: unknown): Record<string, string[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badInput('Multipart "map" must be an object of file names to lists of paths.');
  for (const [name, paths] of Object.entries(value)) {
    if (!Array.isArray(paths) || !paths.length || paths.some((p) => typeof p !== 'string')) throw badInput(`Multipart map entry "${name}" must be a non-empty list of paths.`);
  }
  return value as Record<string, string[]>;
}

/** Sets `variables.data.cover` inside the operations object (paths were checked against the operation). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current: any = target;
  for (const [i, key] of keys.entries()) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw badInput(`Multipart map path "${path}" is not allowed.`);
    if (i === keys.length - 1) {
      current[key] = value;
    } else {
      if (current[key] === null || typeof current[key] !== 'object') current[key] = /^\d+$/.test(keys[i + 1]!) ? [] : {};
      current = current[key];
    }
  }
}
