import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
mkdirSync(join(root, 'test/.tmp'), { recursive: true });
const dir = mkdtempSync(join(root, 'test/.tmp/start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `cairn start` is the Docker image's command: prepare the database, then serve in production mode. */
it('cairn start syncs an empty database without migrations, then serves /ready and the API', async () => {
  const child = spawn(process.execPath, [join(root, 'src/cli/bin.js'), 'start'], {
    cwd: join(root, 'examples/blog'),
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: `file:${join(dir, 'prod.db')}`, PORT: '0', HOST: '127.0.0.1' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no server after 90 s:\n${output}`)), 90_000);
      child.stdout.on('data', () => {
        const match = /serving \w+ at (\S+)/.exec(output);
        if (match) clearTimeout(timer), resolve(match[1]!.replace('localhost', '127.0.0.1'));
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
    });
    expect(output).toMatch(/Schema in sync \(\d+ step/);
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
