import { defineCommand } from '../command.ts';

export const printSchemaCommand = defineCommand({
  path: ['print-schema'],
  summary: 'Print the GraphQL SDL of the API (as the server builds it) to stdout',
  options: {},
  async run({ config, io }) {
    const { buildSdl } = await import('../build-sdl.ts');
    io.out(await buildSdl({ generatedDir: config.generatedDir, schemaPath: config.schemaPath }));
  },
});
