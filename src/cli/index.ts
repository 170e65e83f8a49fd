export { runCli, type RunCliOptions } from './run-cli.ts';
export { defineCommand, type CliHooks, type Command, type CommandContext } from './command.ts';
export { commands } from './commands/index.ts';
export { createIo, confirm, type Io } from './create-io.ts';
export { parseArgs, UsageError, type OptionSpec, type OptionSpecs, type ParsedArgs } from './parse-args.ts';
export { resolveCliConfig, type CliConfig } from './resolve-cli-config.ts';
export type { SeedContext, SeededUser } from './seed-context.ts';
