export { buildSchema, printSdl, type BuildSchemaOptions, type SchemaExtension } from './build-schema.ts';
export type { Builder } from './builder.ts';
export type { Kit } from './crud/kit.ts';
export type { FieldTypeOverride, FieldTypes } from './crud/field-types.ts';
export type { Context, Viewer } from './context.ts';
export { names } from './names.ts';
