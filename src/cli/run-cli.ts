import type { Command, CliHooks } from './command.ts';
import { cairnVersion, cliName, closest, withCliName } from './cli-name.ts';
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

/**
 * Exit codes, the same for every command: 0 done (or nothing to do); 1 the command failed, or
 * found something that needs doing (`migrate status` with pending migrations, a declined
 * confirmation); 2 the command line is wrong (unknown command or option, missing argument).
 */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Runs `cairn <argv…>` and returns the exit code (see `exitCodes`). */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const baseIo = options.io ?? createIo();
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const cli = cliName(env, cwd);
  // Hints name commands as `cairn …`; print them the way they run here (`npx cairn …`).
  const io: Io = { ...baseIo, out: (line) => baseIo.out(line && withCliName(line, cli)), err: (line) => baseIo.err(line && withCliName(line, cli)) };
  if (argv[0] === '--version' || argv[0] === '-v') return io.out(cairnVersion()), exitCodes.ok;
  const commands = [...builtInCommands, ...(options.commands ?? [])];
  const command = findCommand(commands, argv);
  if (!command) return printCommandList(io, commands, argv);
  const name = `cairn ${command.path.join(' ')}`;
  try {
    const args = parseArgs(argv.slice(command.path.length), command.options);
    if (args.help) return printHelp(io, command), exitCodes.ok;
    const config = resolveCliConfig(env, cwd);
    const code = await command.run({ config, io, hooks: options.hooks ?? {} }, args);
    return typeof code === 'number' ? code : exitCodes.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${name}: ${error.message}\nRun \`${name} --help\` for usage.`);
      return exitCodes.usage;
    }
    io.err(`✖ ${name} failed: ${(error as Error).message ?? String(error)}`);
    if (env.CAIRN_DEBUG && error instanceof Error) io.err(error.stack);
    return exitCodes.failed;
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
  const askedForHelp = argv.length === 0 || argv.some((arg) => arg === '--help' || arg === '-h' || arg === 'help');
  const group = commands.filter((c) => c.path[0] === words[0]);
  if (!words.length) {
    if (!askedForHelp) io.err(`Unknown option ${argv[0]}.`), io.err();
    printOverview(askedForHelp ? io.out : io.err, commands);
    return askedForHelp ? exitCodes.ok : exitCodes.usage;
  }
  if (group.length && words.length === 1) {
    // `cairn migrate`: a group; its commands are the answer (asked for, or a usage error).
    if (!askedForHelp) io.err(`\`cairn ${words[0]}\` needs a command: ${group.map((c) => c.path.slice(1).join(' ')).join(', ')}.`), io.err();
    printOverview(askedForHelp ? io.out : io.err, group);
    return askedForHelp ? exitCodes.ok : exitCodes.usage;
  }
  const typed = words.slice(0, Math.max(1, Math.min(2, words.length))).join(' ');
  const suggestion = closest(typed, commands.map((c) => c.path.join(' '))) ?? closest(words[0]!, commands.map((c) => c.path.join(' ')));
  io.err(`Unknown command \`cairn ${words.join(' ')}\`.${suggestion ? ` Did you mean \`cairn ${suggestion}\`?` : ''}`);
  io.err();
  printOverview(io.err, group.length ? group : commands);
  return exitCodes.usage;
}

function printOverview(print: (line?: string) => void, commands: Command[]): void {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  print('Usage: cairn <command> [options]\n\nCommands:');
  for (const c of commands) print(`  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  print('\nRun `cairn <command> --help` for its options, `cairn --version` for the version.');
  print('Exit codes: 0 done, 1 failed or needs action, 2 wrong command line.');
  print('Environment: DATABASE_URL (default file:./data/cairn.db), CAIRN_SCHEMA (prisma/schema.prisma),');
  print('CAIRN_GENERATED_DIR (src/generated), CAIRN_MIGRATIONS_DIR (prisma/migrations: a folder per provider inside),');
  print('CAIRN_SEED (prisma/seed.ts).');
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
