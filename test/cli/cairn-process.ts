import { spawn, type ChildProcess } from 'node:child_process';

/** A `cairn …` process (the bin a user runs), its output, and how it ended. */
export interface CairnProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the server's URL once it logs "serving … at <url>". */
  serving(timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function runCairn(bin: string, args: string[], options: { cwd: string; env: Record<string, string | undefined> }): CairnProcess {
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    output: () => output,
    exited,
    serving: (timeoutMs = 120_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no server after ${timeoutMs} ms:\n${output}`)), timeoutMs);
        const check = () => {
          const match = /serving \w+ at (\S+)/.exec(output);
          if (match) clearTimeout(timer), resolve(match[1]!.replace('localhost', '127.0.0.1'));
        };
        child.stdout!.on('data', check);
        check();
        void exited.then((code) => (clearTimeout(timer), reject(new Error(`exited ${code} before serving:\n${output}`))));
      }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs a `cairn …` command to its end; rejects with the output when it exits non-zero. */
export async function cairnOk(bin: string, args: string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<string> {
  const run = runCairn(bin, args, options);
  const code = await run.exited;
  if (code !== 0) throw new Error(`cairn ${args.join(' ')} exited ${code}:\n${run.output()}`);
  return run.output();
}
