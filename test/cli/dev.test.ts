import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project: the generated client imports @prisma/client from the nearest node_modules.
mkdirSync(join(root, 'test/.tmp'), { recursive: true });
const dir = mkdtempSync(join(root, 'test/.tmp/dev-'));
const schemaPath = join(dir, 'prisma', 'schema.prisma');
const schema = (noteFields: string) =>
  `datasource db {\n  provider = "sqlite"\n}\n\nmodel Note {\n  id    Int    @id @default(autoincrement())\n  title String\n${noteFields}}\n`;

let child: ChildProcess;
let output = '';
let url = '';

/** Resolves once the dev server's output matches `pattern` `times` times in total. */
function waitForOutput(pattern: RegExp, times = 1, timeoutMs = 90_000): Promise<void> {
  const count = () => output.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (count() >= times) return clearInterval(poll), resolve();
      if (Date.now() - started > timeoutMs) clearInterval(poll), reject(new Error(`timed out waiting for ${pattern}:\n${output}`));
    }, 100);
  });
}

const noteFields = async () => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __type(name: "Note") { fields { name } } }' }),
  });
  const body = (await response.json()) as { data: { __type: { fields: { name: string }[] } } };
  return body.data.__type.fields.map((f) => f.name).sort();
};

beforeAll(async () => {
  mkdirSync(join(dir, 'prisma'), { recursive: true });
  writeFileSync(schemaPath, schema(''));
  child = spawn(process.execPath, [join(root, 'src/cli/bin.js'), 'dev'], {
    cwd: dir,
    env: {
      ...process.env,
      CAIRN_SCHEMA: schemaPath,
      CAIRN_GENERATED_DIR: join(dir, 'generated'),
      DATABASE_URL: `file:${join(dir, 'dev.db')}`,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'development',
    },
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitForOutput(/Cairn dev server at (\S+)/);
  url = /Cairn dev server at (\S+)/.exec(output)![1]!;
}, 120_000);

afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

it('serves the schema, picks up an added field without restarting, and keeps serving through a broken save', async () => {
  expect(await noteFields()).toEqual(['id', 'title']);
  const pid = child.pid;

  writeFileSync(schemaPath, schema('  body  String @default("")\n'));
  await waitForOutput(/API reloaded/, 2);
  expect(await noteFields()).toEqual(['body', 'id', 'title']);

  writeFileSync(schemaPath, schema('  body  Strin\n'));
  await waitForOutput(/not applied; the previous API keeps serving/);
  expect(output).toMatch(/schema\.prisma:\d+|line \d+|--> /);
  expect(await noteFields()).toEqual(['body', 'id', 'title']);
  expect(child.pid).toBe(pid);
  expect(child.exitCode).toBeNull();
}, 180_000);
