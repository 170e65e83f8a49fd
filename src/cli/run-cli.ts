import type { Command, CliHooks } from './command.ts';
import { commands as builtInCommands } from './commands/index.ts';
import { createIo, type Io } from './create-io.ts';
import { formatOptions, parseArgs, UsageError } from './parse-args.ts';
import { resolveCliConfig } from './resolve-cli-config.ts';

export interface RunCliOptions {
  hooks?: CliHooks;
  /** Extra commands (e.g. `dev`, `start`, `print-schema` from the app), listed after the built-in ones. */
  commands?: Command[];
  io?: Io;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs `cairn <argv…>` and returns the exit code: 0 ok, 1 failed (or needs action), 2 usage error. */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io = options.io ?? createIo();
  const commands = [...builtInCommands, ...(options.commands ?? [])];
  const command = findCommand(commands, argv);
  if (!command) return printCommandList(io, commands, argv);
  const name = `cairn ${command.path.join(' ')}`;
  try {
    const args = parseArgs(argv.slice(command.path.length), command.options);
    if (args.help) return printHelp(io, command), 0;
    const config = resolveCliConfig(options.env ?? process.env, options.cwd ?? process.cwd());
    const code = await command.run({ config, io, hooks: options.hooks ?? {} }, args);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${name}: ${error.message}\nRun \`${name} --help\` for usage.`);
      return 2;
    }
    io.err(`✖ ${name} failed: ${(error as Error).message ?? String(error)}`);
    if (process.env.CAIRN_DEBUG && error instanceof Error) io.err(error.stack);
    return 1;
  }
}

function findCommand(commands: Command[], argv: readonly string[]): Command | undefined {
  return commands
    .filter((c) => c.path.every((word, i) => argv[i] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** `cairn`, `cairn --help`, `cairn migrate` (a group), or an unknown command. */
function printCommandList(io: Io, commands: Command[], argv: readonly string[]): number {
  const words = argv.filter((arg) => !arg.startsWith('-') && arg !== 'help');
  const group = commands.filter((c) => c.path[0] === words[0]);
  if (words.length && !group.length) {
    io.err(`Unknown command \`cairn ${words.join(' ')}\`.\n`);
    printOverview(io.err, commands);
    return 2;
  }
  printOverview(io.out, words.length ? group : commands);
  const askedForHelp = argv.length === 0 || argv.some((arg) => arg === '--help' || arg === '-h' || arg === 'help');
  return askedForHelp ? 0 : 2;
}

function printOverview(print: (line?: string) => void, commands: Command[]): void {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  print('Usage: cairn <command> [options]\n\nCommands:');
  for (const c of commands) print(`  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  print('\nRun `cairn <command> --help` for its options.');
  print('Environment: DATABASE_URL (default file:./data/cairn.db), CAIRN_SCHEMA (prisma/schema.prisma),');
  print('CAIRN_GENERATED_DIR (src/generated), CAIRN_MIGRATIONS_DIR (prisma/migrations), CAIRN_SEED (prisma/seed.ts).');
}

function printHelp(io: Io, command: Command): void {
  io.out(`Usage: cairn ${command.path.join(' ')}${command.usage ? ` ${command.usage}` : ''} [options]`);
  io.out();
  io.out(command.summary);
  if (command.description) io.out(`\n${command.description}`);
  io.out();
  io.out('Options:');
  for (const line of formatOptions(command.options)) io.out(line);
}
