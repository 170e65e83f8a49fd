export { buildSchema, printSdl, type BuildSchemaOptions } from './build-schema.ts';
export type { Context, Viewer } from './context.ts';
export { names } from './names.ts';
