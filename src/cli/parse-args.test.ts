import { describe, expect, it } from 'vitest';
import { formatOptions, parseArgs, UsageError } from './parse-args.ts';

const specs = {
  name: { type: 'string', short: 'n', description: 'Name', valueName: '<name>' },
  'create-only': { type: 'boolean', description: 'Only create' },
} as const;

describe('parseArgs', () => {
  it('reads flags, valued options in every spelling, and positionals', () => {
    expect(parseArgs(['--name', 'a b', '--create-only', 'x'], specs)).toEqual({
      options: { name: 'a b', 'create-only': true },
      positionals: ['x'],
      help: false,
    });
    expect(parseArgs(['--name=init'], specs).options.name).toBe('init');
    expect(parseArgs(['-n', 'init'], specs).options.name).toBe('init');
    expect(parseArgs(['-h'], specs).help).toBe(true);
    expect(parseArgs(['--', '--name', '-x'], specs)).toMatchObject({ options: {}, positionals: ['--name', '-x'] });
  });

  it('names the problem: unknown option, missing value, value on a flag', () => {
    expect(() => parseArgs(['--nme', 'x'], specs)).toThrow(new UsageError('Unknown option --nme. Options: --name (-n), --create-only.'));
    expect(() => parseArgs(['-x'], {})).toThrow('Unknown option -x. This command takes no options.');
    expect(() => parseArgs(['--name'], specs)).toThrow('Option --name needs a value: --name <name>.');
    expect(() => parseArgs(['--name', '--create-only'], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(['--create-only=yes'], specs)).toThrow('Option --create-only takes no value (got "yes").');
  });

  it('formats the options block of --help', () => {
    expect(formatOptions(specs)).toEqual([
      '  -n, --name <name>  Name',
      '      --create-only  Only create',
      '  -h, --help         Show this help',
    ]);
  });
});
