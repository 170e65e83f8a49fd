export { buildSchema, printSdl, type BuildSchemaOptions } from './build-schema.ts';
export type { Context } from './context.ts';
export { names } from './names.ts';
