import { GraphQLInputObjectType, GraphQLList, GraphQLNonNull, type GraphQLArgument, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { badInput } from '../errors.ts';
import type { Context } from '../schema/index.ts';
import type { FileField } from './file-fields.ts';
import type { FileService } from './file-service.ts';
import { StagedUpload, UploadTokenInput } from './staged-upload.ts';
import { columnOf } from './upload-paths.ts';

/**
 * Every mutation whose arguments can reach a file field (including nested creates and updates)
 * turns the `Upload` values into file ids before the write — a staged file becomes a `pending`
 * row, a ticket token is verified — and when the write fails deletes those rows and objects: a
 * failed write leaves nothing behind.
 */
export function wrapFileMutations(schema: GraphQLSchema, files: FileService): void {
  const reaches = new Map<string, boolean>();
  const reachesFile = (type: GraphQLInputType): boolean => {
    if (type instanceof GraphQLNonNull || type instanceof GraphQLList) return reachesFile(type.ofType);
    if (!(type instanceof GraphQLInputObjectType)) return false;
    if (reaches.has(type.name)) return reaches.get(type.name)!;
    reaches.set(type.name, false); // cycles: assume not while looking
    const found = Object.values(type.getFields()).some((f) => (columnOf(f) && files.fields.get(...split(columnOf(f)!))) || reachesFile(f.type));
    reaches.set(type.name, found);
    return found;
  };
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    if (!field.args.some((a) => reachesFile(a.type)) || !field.resolve) continue;
    const original = field.resolve;
    field.resolve = async (root, args, context: Context, info) => {
      const taken: string[] = [];
      try {
        const mapped = await mapArgs(field.args, args, { files, context, taken, reachesFile });
        // Attaching is left to the change events of the commit (only what a row took: an upsert's
        // unused branch stays pending for the sweep); the sweep never removes a file a row holds.
        return await original(root, mapped, context, info);
      } catch (error) {
        await files.discard(taken).catch(() => {});
        throw error;
      }
    };
  }
}

const split = (column: string) => column.split('.') as [string, string];

interface MapState {
  files: FileService;
  context: Context;
  taken: string[];
  reachesFile: (type: GraphQLInputType) => boolean;
}

async function mapArgs(defs: readonly GraphQLArgument[], args: Record<string, unknown>, state: MapState) {
  const out: Record<string, unknown> = { ...args };
  for (const def of defs) if (def.name in args && state.reachesFile(def.type)) out[def.name] = await mapValue(args[def.name], def.type, state);
  return out;
}

async function mapValue(value: unknown, type: GraphQLInputType, state: MapState): Promise<unknown> {
  if (value == null) return value;
  if (type instanceof GraphQLNonNull) return mapValue(value, type.ofType, state);
  if (type instanceof GraphQLList) {
    const out = [];
    for (const item of Array.isArray(value) ? value : [value]) out.push(await mapValue(item, type.ofType, state));
    return out;
  }
  if (!(type instanceof GraphQLInputObjectType)) return value;
  const fields = type.getFields();
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [name, item] of Object.entries(out)) {
    const def = fields[name];
    if (!def) continue;
    const column = columnOf(def);
    const spec = column ? state.files.fields.get(...split(column)) : undefined;
    if (spec) out[name] = await fileValue(item, spec, state);
    else if (state.reachesFile(def.type)) out[name] = await mapValue(item, def.type, state);
  }
  return out;
}

async function fileValue(value: unknown, field: FileField, state: MapState): Promise<unknown> {
  if (value == null) return value;
  if (!field.list) return claim(value, field, state);
  const items = Array.isArray(value) ? value : [value];
  if (items.length > field.maxCount) throw badInput(`${field.model}.${field.field} holds at most ${field.maxCount} files.`, { field: field.field });
  const ids = [];
  for (const item of items) ids.push(await claim(item, field, state));
  return ids;
}

async function claim(value: unknown, field: FileField, { files, context, taken }: MapState): Promise<string> {
  let id: string;
  if (value instanceof StagedUpload) id = await files.claimStaged(value, field, context.viewer);
  else if (value instanceof UploadTokenInput) id = await files.claimToken(value.token, field, context.viewer);
  else throw badInput(`${field.model}.${field.field} takes an Upload.`);
  taken.push(id);
  return id;
}
