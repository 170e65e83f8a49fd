import type { Field, Model } from '../../db/index.ts';

/**
 * A scalar column served under other GraphQL types than its own (e.g. a file field: a `String?`
 * column holding a file id, read as a `File` object and written as an `Upload`). The column is
 * still what Prisma reads and writes; filters and ordering keep the column's own type.
 */
export interface FieldTypeOverride {
  /** The output type's name (registered by a SchemaExtension); a list field's column holds a list of values. */
  output: string;
  /** Whether the output is a list `[T!]!` (e.g. attachments in a Json column) rather than one nullable `T`. */
  list?: boolean;
  /** Resolves the output from the column's value (null when the viewer may not read the field). */
  resolve(value: unknown, context: unknown): unknown;
  /**
   * The input type's name in the generated create/update inputs (a list field takes `[T!]`); always
   * optional. The input field carries `extensions.cairnColumn` (`"Post.cover"`).
   */
  input: string;
}

/** Decides, once per field at build time, whether it is served under other types. */
export type FieldTypes = (model: Model, field: Field) => FieldTypeOverride | undefined;

export const noFieldTypes: FieldTypes = () => undefined;

/**
 * The object field of an overridden column: it selects the column (a select function, so the
 * direct-column shortcut leaves its resolver alone) and resolves the value through the override.
 */
export function overriddenField(t: any, field: Field, override: FieldTypeOverride, mayHide: boolean): unknown {
  return t.field({
    type: override.list ? [override.output] : override.output,
    nullable: override.list ? mayHide : true,
    description: field.documentation,
    select: () => ({ [field.name]: true }),
    resolve: (row: Record<string, unknown>, _args: unknown, context: unknown) => override.resolve(row[field.name], context),
  });
}
