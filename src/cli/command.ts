import type { CliConfig } from './resolve-cli-config.ts';
import type { Io } from './create-io.ts';
import type { OptionSpecs, ParsedArgs } from './parse-args.ts';

/** Seams src/cli/main.ts fills in with parts of the app the CLI must not import itself. */
export interface CliHooks {
  /**
   * Called by `cairn generate` once the clients are written, e.g. to build the GraphQL schema and
   * write schema.graphql. A returned string is printed.
   */
  printSchema?: (options: { generatedDir: string; schemaPath: string; cwd: string }) => Promise<string | void>;
}

export interface CommandContext {
  config: CliConfig;
  io: Io;
  hooks: CliHooks;
}

/** One `cairn …` command. */
export interface Command<S extends OptionSpecs = OptionSpecs> {
  /** The words that select it, e.g. `['migrate', 'dev']`. */
  path: string[];
  summary: string;
  /** Extra `--help` text: what it does, when to use it. */
  description?: string;
  /** Positional arguments in the usage line, e.g. `<name>`. */
  usage?: string;
  options: S;
  /** Returns the exit code (0 when omitted). Throws for failures; the runner prints them. */
  run(context: CommandContext, args: ParsedArgs<S>): Promise<number | void>;
}

/** Keeps each command's option types while collecting them in one list. */
export const defineCommand = <S extends OptionSpecs>(command: Command<S>): Command<S> => command;
