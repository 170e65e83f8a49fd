import { isAbsolute, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';

/** The CLI's terminal: output lines, and questions when a person is there to answer. */
export interface Io {
  out(line?: string): void;
  err(line?: string): void;
  /** stdin and stdout are a TTY and CI is not set: questions can be asked. */
  readonly interactive: boolean;
  /** Asks a question and returns the answer (only when interactive). */
  ask(question: string): Promise<string>;
}

export function createIo(): Io {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env.CI);
  return {
    out: (line = '') => void process.stdout.write(`${line}\n`),
    err: (line = '') => void process.stderr.write(`${line}\n`),
    interactive,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/** y/N question; anything but y/yes is no, and so is a non-interactive shell. */
export async function confirm(io: Io, question: string): Promise<boolean> {
  if (!io.interactive) return false;
  return /^y(es)?$/i.test((await io.ask(`${question} [y/N] `)).trim());
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return !rel ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** `1.2s` or `340ms`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
