import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Provider } from '../../src/db/index.ts';
import { postgresUrl } from '../support/test-app.ts';
import { testStorageSecret } from '../support/fixtures.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  databaseUrl: string;
  /** Everything the process wrote (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  cleanup(): Promise<void>;
}

/** A fresh database (SQLite file or PostgreSQL schema) for a spawned server. */
export async function processDatabase(provider: Provider): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  if (provider === 'sqlite') {
    mkdirSync(join(root, 'test/.tmp'), { recursive: true });
    const dir = mkdtempSync(join(root, 'test/.tmp/serve-'));
    return { databaseUrl: `file:${join(dir, 'app.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `p_${randomBytes(6).toString('hex')}`;
  const url = new URL(postgresUrl!);
  url.searchParams.set('schema', schema);
  return {
    databaseUrl: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** `src/main.ts` as production runs it, in its own process, on the example app. */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts')], {
    cwd: join(root, 'examples/blog'),
    env: { ...process.env, NODE_ENV: 'production', CAIRN_SYNC_SCHEMA: 'push', DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CAIRN_STORAGE_SECRET: testStorageSecret, ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no server after 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /serving \w+ at (\S+)/.exec(output);
      if (match) clearTimeout(timer), resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
  return {
    child,
    url,
    databaseUrl,
    output: () => output,
    exited,
    async cleanup() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
