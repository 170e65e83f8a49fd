import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The typed-documents check of this repository (test/codegen.test.ts): the example app's
 * operations (examples/blog/operations/*.graphql) against its SDL, typed into
 * test/operations/generated/, which test/operations/typed-usage.ts is compiled against.
 *
 * Apps do not need a codegen.ts: `cairn generate` and `cairn dev` type an app's
 * operations/*.graphql into operations/generated/ with the same settings (src/cli/codegen-config.ts);
 * an app that wants other settings puts its own codegen.ts beside its package.json.
 */
const config: CodegenConfig = {
  schema: process.env.CAIRN_SDL ?? 'examples/blog/src/generated/schema.graphql',
  documents: ['examples/blog/operations/**/*.graphql'],
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
