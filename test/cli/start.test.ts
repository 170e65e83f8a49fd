import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { testStorageSecret } from '../support/fixtures.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = join(root, 'examples/blog');
mkdirSync(join(root, 'test/.tmp'), { recursive: true });
const dir = mkdtempSync(join(root, 'test/.tmp/start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, 'src/cli/bin.js'), 'start'], {
    cwd: example,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', CAIRN_SYNC_SCHEMA: '', CAIRN_STORAGE_SECRET: testStorageSecret, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

/** The example app has no migrations: in production that is a refusal, not a server on empty tables. */
it('cairn start in production without migrations refuses to serve and names the folder and the way out', async () => {
  const run = start({ DATABASE_URL: `file:${join(dir, 'refused.db')}` });
  expect(await run.exited).toBe(1);
  expect(run.output()).toMatch(/No migrations in prisma\/migrations\/sqlite \(DATABASE_URL is sqlite\)[\s\S]*migrate dev --name init[\s\S]*CAIRN_SYNC_SCHEMA=push/);
}, 60_000);

/** `cairn start` is the Docker image's command: prepare the database, then serve in production mode. */
it('cairn start with CAIRN_SYNC_SCHEMA=push syncs an empty database without migrations, then serves /ready and the API', async () => {
  const { child, exited, output } = start({ DATABASE_URL: `file:${join(dir, 'prod.db')}`, CAIRN_SYNC_SCHEMA: 'push' });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no server after 90 s:\n${output()}`)), 90_000);
      child.stdout.on('data', () => {
        const match = /serving \w+ at (\S+)/.exec(output());
        if (match) clearTimeout(timer), resolve(match[1]!.replace('localhost', '127.0.0.1'));
      });
      void exited.then((code) => reject(new Error(`exited ${code}:\n${output()}`)));
    });
    expect(output()).toMatch(/Schema in sync \(\d+ step/);
    expect((await fetch(url.replace('/graphql', '/ready'))).status).toBe(200);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ postsCount me { id } }' }),
    });
    expect(await response.json()).toEqual({ data: { postsCount: 0, me: null } });
    // Production serves no GraphiQL.
    expect((await fetch(url, { headers: { accept: 'text/html' } })).headers.get('content-type') ?? '').not.toMatch(/html/);
  } finally {
    child.kill('SIGTERM');
  }
}, 120_000);
