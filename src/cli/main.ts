/** `cairn` entry point (run by src/cli/bin.js). Wires app-level hooks into the CLI and exits with its code. */
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  hooks: {
    // Loaded only when `generate` runs: it builds the whole app to print its schema.
    printSchema: async (options) => (await import('./write-sdl.ts')).writeSdl(options),
  },
});
