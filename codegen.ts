import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for frontends (graphql-codegen client preset).
 * Input: the SDL `npm run generate` writes to src/generated/schema.graphql, plus the operations in
 * test/operations/*.graphql (the example set; a frontend points `documents` at its own files).
 * Output: test/operations/generated/ — `graphql(...)` returns a TypedDocumentNode that Apollo
 * Client, urql or graphql-request infer result and variable types from.
 */
const config: CodegenConfig = {
  schema: process.env.CAIRN_SDL ?? 'src/generated/schema.graphql',
  documents: ['test/operations/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    'test/operations/generated/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Cairn's scalars travel as strings (DateTime ISO, Decimal, BigInt, Bytes base64) or any JSON.
        scalars: { DateTime: 'string', Decimal: 'string', BigInt: 'string', Bytes: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
