import type { Datamodel, Field, Model } from '../db/index.ts';
import { parseSize } from './parse-size.ts';

/** A column declared a file field with `/// @file(...)`, normalised once at boot. */
export interface FileField {
  model: string;
  field: string;
  /** A `Json?` column holds a list of file ids (attachments); a `String?` column holds one. */
  list: boolean;
  /** The largest file accepted, in bytes. */
  maxSize: number;
  /** Accepted types (`image/*`, `application/pdf`); empty accepts any. Matched against the sniffed type. */
  accept: readonly string[];
  /** A list field's most files. */
  maxCount: number;
}

export interface FileFields {
  all: readonly FileField[];
  get(model: string, field: string): FileField | undefined;
  ofModel(model: string): readonly FileField[];
}

const annotation = /(?:^|\n)\s*@file\s*(?:\(([^)]*)\))?\s*(?:$|\n)/;

/**
 * Reads `/// @file(maxSize: "5MB", accept: ["image/*"])` annotations. A file field is a `String?`
 * (one file) or `Json?` (a list) column holding file ids: stock Prisma tooling (migrate, studio)
 * keeps working, and the file's metadata lives in the app's hidden `StoredFile` model.
 */
export function resolveFileFields(datamodel: Datamodel): FileFields {
  const all: FileField[] = [];
  for (const model of datamodel.models) {
    for (const field of model.fields) {
      const match = annotation.exec(field.documentation ?? '');
      if (match) all.push(fileField(model, field, match[1] ?? ''));
    }
  }
  const byKey = new Map(all.map((f) => [`${f.model}.${f.field}`, f]));
  return {
    all,
    get: (model, field) => byKey.get(`${model}.${field}`),
    ofModel: (model) => all.filter((f) => f.model === model),
  };
}

function fileField(model: Model, field: Field, args: string): FileField {
  const where = `${model.name}.${field.name} @file`;
  const list = field.type === 'Json';
  if ((field.type !== 'String' && !list) || field.isList || field.isRequired || field.isId || field.isUnique) {
    throw new Error(`${where}: a file field is an optional String (one file) or Json (a list of files), e.g. \`cover String? /// @file(maxSize: "5MB")\``);
  }
  let options: Record<string, unknown>;
  try {
    // The arguments read like a JS object literal: quote the bare keys and parse as JSON.
    options = JSON.parse(`{${args.replace(/([{,]\s*|^\s*)([a-zA-Z]+)\s*:/g, '$1"$2":')}}`) as Record<string, unknown>;
  } catch {
    throw new Error(`${where}: expected arguments like (maxSize: "5MB", accept: ["image/*"], maxCount: 10), got (${args})`);
  }
  for (const key of Object.keys(options)) {
    if (!['maxSize', 'accept', 'maxCount'].includes(key)) throw new Error(`${where}: unknown argument "${key}" (maxSize, accept, maxCount)`);
  }
  const accept = options.accept ?? [];
  if (!Array.isArray(accept) || accept.some((a) => typeof a !== 'string' || !/^[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+)$/i.test(a))) {
    throw new Error(`${where}: accept must be a list of types like ["image/*", "application/pdf"], got ${JSON.stringify(accept)}`);
  }
  const maxCount = options.maxCount ?? 10;
  if (!Number.isInteger(maxCount) || (maxCount as number) < 1) throw new Error(`${where}: maxCount must be a positive integer`);
  return {
    model: model.name,
    field: field.name,
    list,
    maxSize: parseSize((options.maxSize as string | number | undefined) ?? '10MB', `${where} maxSize`),
    accept: accept.map((a: string) => a.toLowerCase()),
    maxCount: maxCount as number,
  };
}

/** Whether a sniffed type is one `accept` lets in. */
export function accepts(field: Pick<FileField, 'accept'>, mimeType: string): boolean {
  if (!field.accept.length) return true;
  const [kind] = mimeType.split('/');
  return field.accept.some((a) => a === mimeType || a === `${kind}/*`);
}
