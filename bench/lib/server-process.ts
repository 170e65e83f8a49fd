import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerMessage, ServerMessage } from '../servers/harness.ts';
import { benchDir, rootDir } from './paths.ts';

export type Stats = Extract<ServerMessage, { type: 'stats' }>;

export interface ServerHandle {
  name: string;
  port: number;
  /** `/graphql` for GraphQL servers, `/` for the JSON ones (the shape name is appended). */
  path: string;
  /** Headers every request to this server carries (Cairn's bearer session token). */
  headers: Record<string, string>;
  pid: number;
  /** Counters once no request is in flight. */
  stats(): Promise<Stats>;
  /** Zeroes the counters once no request is in flight. */
  reset(): Promise<Stats>;
  /** Counters now (for RSS sampling under load). */
  sample(): Promise<Stats>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  script: string;
  /** Node binary; the runner's own (with tsx) when omitted. */
  node?: string;
  env: Record<string, string>;
  /** Write a V8 CPU profile to bench/results/profiles/ when the server stops. */
  profile?: boolean;
}

/** Starts one bench server in its own process and waits until it listens (or fails). */
export function startServer(options: SpawnOptions): Promise<ServerHandle> {
  // One file per thread (tsx's module hooks run in their own); the main thread's is the largest.
  const profileDir = join(benchDir, 'results', 'profiles', options.name);
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const execArgv = [
    ...(options.node ? [] : ['--import', 'tsx']),
    ...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ];
  const child = fork(options.script, [], {
    cwd: rootDir,
    execPath: options.node ?? process.execPath,
    execArgv,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    // stdout (Cairn's request log) goes nowhere: its cost stays, the terminal keeps the runner's lines.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${options.name} server exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('message', (message: ServerMessage) => {
      if (message.type === 'error') return reject(new Error(`${options.name} server failed to start: ${message.message}`));
      if (message.type !== 'ready') return reject(new Error(`${options.name} server sent ${message.type} before ready`));
      child.off('exit', onExit);
      resolve(handle(options.name, child, message.port, message.path, message.headers ?? {}));
    });
  });
}

function handle(name: string, child: ChildProcess, port: number, path: string, headers: Record<string, string>): ServerHandle {
  // One question at a time: every answer is a `stats` message, so answers can't be told apart.
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (type: RunnerMessage['type']) => {
    const next = queue.then(() => askNow(type));
    queue = next.catch(() => {});
    return next;
  };
  const askNow = (type: RunnerMessage['type']) =>
    new Promise<Stats>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not answer "${type}"`)), 40_000);
      child.once('message', (message: ServerMessage) => {
        clearTimeout(timer);
        if (message.type === 'stats') resolve(message);
        else reject(new Error(`${name} answered "${type}" with ${message.type}`));
      });
      child.send({ type });
    });
  return {
    name,
    port,
    path,
    headers,
    pid: child.pid!,
    stats: () => ask('stats'),
    reset: () => ask('reset'),
    sample: () => ask('sample'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}
