import type { Types } from '@graphql-codegen/plugin-helpers';

/** Cairn's scalars travel as strings (DateTime ISO, Decimal, BigInt, Bytes base64) or any JSON. */
export const scalarTypes = { DateTime: 'string', Decimal: 'string', BigInt: 'string', Bytes: 'string', JSON: 'unknown' };

/**
 * The graphql-codegen config an app gets without a codegen.ts of its own: the client preset types
 * `operations/**\/*.graphql` into `operations/generated/` (`graphql(...)` returns a
 * TypedDocumentNode Apollo Client, urql and graphql-request infer result and variable types from).
 */
export function defaultCodegenConfig(sdlPath: string): Types.Config {
  return {
    schema: sdlPath,
    documents: ['operations/**/*.graphql'],
    ignoreNoDocuments: true,
    generates: {
      'operations/generated/': {
        preset: 'client',
        config: { useTypeImports: true, enumsAsTypes: true, scalars: scalarTypes },
      },
    },
  };
}
