import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const functionsDir = join(dir, 'functions');
// The entry imports a helper beside it: a reload must pick up edits to either.
const functionsEntry = (fields: string) =>
  `import { greeting } from './greeting.ts';\n\nexport default {\n  schema(builder) {\n${fields}  },\n};\n`;
const greetingField = "    builder.queryField('greeting', (t) => t.string({ resolve: () => greeting }));\n";
const farewellField = "    builder.queryField('farewell', (t) => t.string({ resolve: () => 'bye' }));\n";

const query = async (source: string) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: source }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
};
const reloads = () => output.match(/API reloaded/g)?.length ?? 0;

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
  mkdirSync(join(dir, 'operations'), { recursive: true });
  writeFileSync(schemaPath, schema(''));
  mkdirSync(functionsDir, { recursive: true });
  writeFileSync(join(functionsDir, 'greeting.ts'), "export const greeting = 'hello v1';\n");
  writeFileSync(join(functionsDir, 'index.ts'), functionsEntry(greetingField));
  writeFileSync(join(dir, 'operations', 'notes.graphql'), 'mutation AddNote($data: NoteCreateInput!) { createNote(data: $data) { id } }\n');
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
  expect(await noteFields()).toEqual(['id', 'nodeId', 'title']);
  const pid = child.pid;

  writeFileSync(schemaPath, schema('  body  String @default("")\n'));
  await waitForOutput(/API reloaded/, 2);
  expect(await noteFields()).toEqual(['body', 'id', 'nodeId', 'title']);

  // schema.graphql and the typed documents follow every reload (codegen watchers read them).
  expect(readFileSync(join(dir, 'generated', 'schema.graphql'), 'utf8')).toMatch(/type Note implements Node \{[\s\S]*body: String!/);
  expect(readFileSync(join(dir, 'operations', 'generated', 'graphql.ts'), 'utf8')).toMatch(/export type NoteCreateInput = \{[^}]*body\?: /);

  writeFileSync(schemaPath, schema('  body  Strin\n'));
  await waitForOutput(/not applied; the previous API keeps serving/);
  // The user's file and line, not the generation folder Cairn wrote the provider copy to.
  expect(output).toMatch(/-->\s+prisma\/schema\.prisma:8/);
  expect(output).not.toMatch(/\.dev\//);
  expect(await noteFields()).toEqual(['body', 'id', 'nodeId', 'title']);

  // A missing `}` is reported at the block the user opened, not inside Cairn's generator blocks.
  writeFileSync(schemaPath, schema('  body  String @default("")\n').replace(/}\n$/, ''));
  await waitForOutput(/not applied; the previous API keeps serving/, 2);
  expect(output).toMatch(/prisma\/schema\.prisma:5: `model Note \{` is not closed: add `\}` at its end\./);
  expect(output).not.toMatch(/generator client/);
  expect(await noteFields()).toEqual(['body', 'id', 'nodeId', 'title']);
  expect(child.pid).toBe(pid);
  expect(child.exitCode).toBeNull();
}, 180_000);

it('a failed `cairn generate` keeps the last working client', async () => {
  const env = { ...process.env, CAIRN_SCHEMA: schemaPath, CAIRN_GENERATED_DIR: join(dir, 'generated') };
  const datamodel = join(dir, 'generated', 'sqlite', 'datamodel.json');
  const before = readFileSync(datamodel, 'utf8');
  writeFileSync(schemaPath, schema('  body  Strin\n'));
  const code = await new Promise<number | null>((resolve) =>
    spawn(process.execPath, [join(root, 'src/cli/bin.js'), 'generate'], { cwd: dir, env, stdio: 'ignore' }).on('exit', resolve),
  );
  expect(code).toBe(1);
  expect(readFileSync(datamodel, 'utf8')).toBe(before);
  expect(readFileSync(join(dir, 'generated', 'sqlite', 'client', 'client.ts'), 'utf8')).toMatch(/PrismaClient/);
}, 60_000);

it('reloads the app code on save, and keeps the previous app serving through a broken or invalid one', async () => {
  expect((await query('{ greeting }')).data).toEqual({ greeting: 'hello v1' });
  const pid = child.pid;

  // A new custom field in the entry file.
  let seen = reloads();
  writeFileSync(join(functionsDir, 'index.ts'), functionsEntry(greetingField + farewellField));
  await waitForOutput(/API reloaded/, seen + 1);
  expect((await query('{ greeting farewell }')).data).toEqual({ greeting: 'hello v1', farewell: 'bye' });
  expect(readFileSync(join(dir, 'generated', 'schema.graphql'), 'utf8')).toMatch(/farewell: String/);

  // An edit to a file the entry imports, not the entry itself.
  seen = reloads();
  writeFileSync(join(functionsDir, 'greeting.ts'), "export const greeting = 'hello v2';\n");
  await waitForOutput(/API reloaded/, seen + 1);
  expect((await query('{ greeting farewell }')).data).toEqual({ greeting: 'hello v2', farewell: 'bye' });

  // A file that does not load: the error is printed, the previous app keeps serving.
  let failed = output.match(/functions\/index\.ts not applied; the previous API keeps serving/g)?.length ?? 0;
  writeFileSync(join(functionsDir, 'greeting.ts'), "export const greeting = ;\n");
  await waitForOutput(/functions\/index\.ts not applied; the previous API keeps serving/, failed + 1);
  expect((await query('{ greeting farewell }')).data).toEqual({ greeting: 'hello v2', farewell: 'bye' });

  // A file that loads but does not validate (an unknown key, named in the error).
  failed += 1;
  writeFileSync(join(functionsDir, 'greeting.ts'), "export const greeting = 'hello v3';\n");
  writeFileSync(join(functionsDir, 'index.ts'), "export default { scheme() {} };\n");
  await waitForOutput(/functions\/index\.ts not applied; the previous API keeps serving/, failed + 1);
  expect(output).toMatch(/unknown key "scheme"/);
  expect((await query('{ greeting farewell }')).data).toEqual({ greeting: 'hello v2', farewell: 'bye' });

  // A schema extension that throws while the app is built (Pothos refuses an unknown type).
  failed += 1;
  writeFileSync(join(functionsDir, 'index.ts'), "export default { schema(builder) { builder.queryField('broken', (t) => t.field({ type: 'NoSuchType', resolve: () => null })); } };\n");
  await waitForOutput(/functions\/index\.ts not applied; the previous API keeps serving/, failed + 1);
  expect((await query('{ greeting farewell }')).data).toEqual({ greeting: 'hello v2', farewell: 'bye' });

  // Fixed: the fixed code serves, the field removed in between is gone.
  seen = reloads();
  writeFileSync(join(functionsDir, 'index.ts'), functionsEntry(greetingField));
  await waitForOutput(/API reloaded/, seen + 1);
  expect((await query('{ greeting }')).data).toEqual({ greeting: 'hello v3' });
  expect((await query('{ farewell }')).errors?.[0]?.message).toMatch(/Cannot query field "farewell"/);
  expect(child.pid).toBe(pid);
  expect(child.exitCode).toBeNull();
}, 180_000);
