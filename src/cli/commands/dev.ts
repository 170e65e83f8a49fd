import { defineCommand } from '../command.ts';

export const devCommand = defineCommand({
  path: ['dev'],
  summary: 'Serve with prisma/schema.prisma watched: regenerate, sync and reload on every save',
  description:
    'On a save: regenerates the client, pushes the change to the development database (never with data loss)\n' +
    'and swaps in the new API without restarting the process. A schema error is printed with its file and\n' +
    'line, and the previous API keeps serving.',
  options: {},
  async run({ io }) {
    const { startDevServer } = await import('../dev-server.ts');
    const dev = await startDevServer(io);
    io.out(`Cairn dev server at ${dev.url} (watching the schema; Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    await dev.close();
  },
});
