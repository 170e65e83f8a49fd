/** One option a command accepts: `--name value` (string) or `--flag` (boolean). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** A one-letter alias, e.g. `n` for `-n`. */
  short?: string;
  /** Shown by `--help`. */
  description: string;
  /** Placeholder for the value in `--help`, e.g. `<name>`. @default `<value>` */
  valueName?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed values, typed from the specs: booleans for flags, strings for valued options. */
export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string;
};

export interface ParsedArgs<S extends OptionSpecs> {
  options: OptionValues<S>;
  positionals: string[];
  /** `-h` / `--help` was given (accepted by every command). */
  help: boolean;
}

/** A mistake on the command line; the CLI exits with code 2 and points at `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parses `argv` against `specs`: `--opt value`, `--opt=value`, `-o value`, `--flag`, `--` ends
 * options. Unknown options and missing values are UsageErrors naming the option.
 */
export function parseArgs<S extends OptionSpecs>(argv: readonly string[], specs: S): ParsedArgs<S> {
  const options: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] = splitInline(arg);
    const name = lookup(flag, specs);
    const spec = specs[name]!;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`Option ${flag} takes no value (got "${inline}").`);
      options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-'))) {
      throw new UsageError(`Option ${flag} needs a value: ${flag} ${spec.valueName ?? '<value>'}.`);
    }
    options[name] = value;
  }
  return { options: options as OptionValues<S>, positionals, help };
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function lookup(flag: string, specs: OptionSpecs): string {
  const name = flag.startsWith('--')
    ? flag.slice(2)
    : Object.keys(specs).find((key) => specs[key]!.short === flag.slice(1));
  if (name && specs[name]) return name;
  const known = Object.entries(specs).map(([key, spec]) => `--${key}${spec.short ? ` (-${spec.short})` : ''}`);
  throw new UsageError(`Unknown option ${flag}.${known.length ? ` Options: ${known.join(', ')}.` : ' This command takes no options.'}`);
}

/** The options block of `--help`. */
export function formatOptions(specs: OptionSpecs): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? '<value>'}` : ''}`,
    spec.description,
  ]);
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}
