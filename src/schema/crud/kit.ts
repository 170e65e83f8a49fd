import type { InputFieldBuilder, InputFieldRef } from '@pothos/core';
import type { Datamodel, Field, Model } from '../../db/index.ts';
import type { Builder, CairnSchemaTypes } from '../builder.ts';
import { prismaScalarTypes, type PrismaScalar } from '../scalars.ts';
import { noFieldTypes, type FieldTypes } from './field-types.ts';

type Types = PothosSchemaTypes.ExtendDefaultTypes<CairnSchemaTypes>;
export type InputFields = InputFieldBuilder<Types, 'InputObject'>;
export type InputFieldMap = Record<string, InputFieldRef<Types, unknown>>;

/**
 * Shared state of one schema build: the builder, the datamodel, and name-keyed refs so input
 * types can reference each other (and themselves) before they are implemented.
 */
export interface Kit {
  builder: Builder;
  datamodel: Datamodel;
  maxPageSize: number;
  /** A ref to the input type `name`; the first caller to `implement` it defines it. */
  input(name: string): any;
  /** Defines input `name` once (later calls are no-ops) and returns its ref. */
  defineInput(name: string, fields: (t: InputFields) => InputFieldMap, description?: string): any;
  /** The GraphQL type name of a scalar or enum field. */
  scalarType(field: Field): string;
  model(name: string): Model;
  /** Whether the provider supports `mode: insensitive` and scalar lists. */
  isPostgres: boolean;
  /** What the access rules ask of the API. */
  access: KitAccess;
  /** Scalar columns served under other types (file fields). */
  fieldTypes: FieldTypes;
}

export interface KitAccess {
  /** Whether access rules may hide rows of `model` (or values of its `field`) from some viewer: then they are nullable. */
  mayHide(model: string, field?: string): boolean;
  /** Columns every read of `model` selects besides what the query asks for (the rules decide on them). */
  readColumns(model: string): string[];
  /** Whether a field is left out of the generated create and update inputs (e.g. auth's `User.email`). */
  readOnly(model: string, field: string): boolean;
}

const noRules: KitAccess = { mayHide: () => false, readColumns: () => [], readOnly: () => false };

export function createKit(builder: Builder, datamodel: Datamodel, maxPageSize: number, access: KitAccess = noRules, fieldTypes: FieldTypes = noFieldTypes): Kit {
  const refs = new Map<string, any>();
  const implemented = new Set<string>();
  const input = (name: string) => {
    if (!refs.has(name)) refs.set(name, builder.inputRef(name));
    return refs.get(name);
  };
  return {
    builder,
    datamodel,
    maxPageSize,
    input,
    defineInput(name, fields, description) {
      const ref = input(name);
      if (!implemented.has(name)) {
        implemented.add(name);
        ref.implement({ description, fields });
      }
      return ref;
    },
    scalarType: (field) =>
      field.kind === 'enum' ? field.type : prismaScalarTypes[field.type as PrismaScalar] ?? unsupported(field),
    model: (name) => datamodel.models.find((m) => m.name === name)!,
    isPostgres: datamodel.provider === 'postgresql',
    access,
    fieldTypes,
  };
}

function unsupported(field: Field): never {
  throw new Error(`Field "${field.name}" has type ${field.type}, which Cairn cannot map to GraphQL yet`);
}

/** `[T!]` input list. */
export const listOf = (type: unknown) => ({ type: [type] as never, required: { list: false, items: true } as never });
