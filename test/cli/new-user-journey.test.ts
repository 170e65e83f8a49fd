/**
 * A new user's path, scripted as the README tells it: `cairn init`, their own schema (string ids,
 * an enum, a many-to-many — nothing like the example), generate, serve, sign up, write, read; then
 * `migrate dev` writing the SQLite and the PostgreSQL migration, and `migrate deploy` of the latter
 * on a fresh PostgreSQL that serves the same API in production. And the traps the issue met: a
 * stale build, and `migrate reset` on the database `npm start` pushed.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases } from '../migrate/helpers.ts';
import { postgresUrl } from '../support/providers.ts';
import { cairnOk, runCairn } from './cairn-process.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Outside this checkout, as a user's app would be: nothing resolves from Cairn's node_modules by accident.
const parent = mkdtempSync(join(tmpdir(), 'cairn-journey-'));
const app = join(parent, 'my-app');
const bin = join(app, 'node_modules', '.bin', 'cairn');
const dbs = createTestDatabases('journey');
const env = (extra: Record<string, string> = {}) => ({ NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', CAIRN_SYNC_SCHEMA: undefined, DATABASE_URL: undefined, ...extra });
const cairn = (args: string[], extra: Record<string, string> = {}) => cairnOk(bin, args, { cwd: app, env: env(extra) });

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

const introspectedSdl = async (url: string) =>
  printSchema(buildClientSchema(((await gql(url, getIntrospectionQuery())).data) as IntrospectionQuery));

/** Signs up, creates a project with two new labels, reads it back: the API works for its first user. */
async function useTheApi(url: string, email: string) {
  const signUp = await gql(url, 'mutation($email: String!) { signUp(email: $email, password: "correct horse battery", name: "Ada") { token user { id } } }', { email });
  expect(signUp.errors).toBeUndefined();
  const { token, user } = signUp.data.signUp;
  expect(user.id).toMatch(/^c[a-z0-9]{20,}$/); // a cuid: string ids all the way through auth
  const created = await gql(
    url,
    `mutation($owner: String!) { createProject(data: { name: "Launch", status: ACTIVE, ownerId: $owner, labels: { create: [{ name: "q1" }, { name: "web" }] } }) { id } }`,
    { owner: user.id },
    token,
  );
  expect(created.errors).toBeUndefined();
  const read = await gql(url, '{ projects(where: { status: { equals: ACTIVE } }) { name status labels(orderBy: [{ name: asc }]) { name } owner { name } } }');
  expect(read).toEqual({ data: { projects: [{ name: 'Launch', status: 'ACTIVE', labels: [{ name: 'q1' }, { name: 'web' }], owner: { name: 'Ada' } }] } });
  // The rules hold: signed out, no writes.
  const denied = await gql(url, `mutation { createProject(data: { name: "x", ownerId: "${user.id}" }) { id } }`);
  expect(denied.errors?.[0]?.message).toMatch(/Project\.create/);
}

beforeAll(async () => {
  // `npm run cairn -- init <dir>` in this checkout; then `npm install` links Cairn (a file: dependency).
  execFileSync(process.execPath, [join(root, 'src/cli/bin.js'), 'init', app], { cwd: parent, env: { ...process.env, INIT_CWD: parent } });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline'], { cwd: app, stdio: 'pipe' });
}, 120_000);

afterAll(async () => {
  await dbs.cleanup();
  rmSync(parent, { recursive: true, force: true });
});

describe('a new user, from cairn init to PostgreSQL in production', { timeout: 240_000 }, () => {
  let sqliteSdl = '';

  it('cairn init writes an app whose package.json depends on this checkout and runs cairn', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    expect(pkg.dependencies.cairn).toMatch(/^file:/);
    expect(pkg.scripts).toMatchObject({ dev: 'cairn dev', start: 'cairn start', postinstall: 'cairn generate --if-missing' });
    expect(readdirSync(join(app, 'prisma')).sort()).toEqual(['schema.prisma', 'seed.ts']);
    expect(readFileSync(join(app, 'prisma/schema.prisma'), 'utf8')).toMatch(/model User[\s\S]*model Session[\s\S]*model Account[\s\S]*model AuthToken[\s\S]*@@allow/);
    expect(existsSync(bin)).toBe(true);
  });

  it('their own schema: generate, serve on SQLite, sign up, create, query; typed documents for their operations', async () => {
    copyFileSync(join(root, 'test/cli/fixtures/journey-schema.prisma'), join(app, 'prisma/schema.prisma'));
    copyFileSync(join(root, 'test/cli/fixtures/journey-operations.graphql'), join(app, 'operations/projects.graphql'));
    const generated = await cairn(['generate']);
    expect(generated).toMatch(/✔ sqlite[\s\S]*✔ postgresql[\s\S]*Typed documents: operations\/generated\//);
    expect(readFileSync(join(app, 'operations/generated/graphql.ts'), 'utf8')).toMatch(/export type ActiveProjectsQuery/);
    // The seed cairn init wrote runs (and says what to do with it).
    expect(await cairn(['seed'], { DATABASE_URL: `file:${join(app, 'data', 'seed.db')}` })).toMatch(/Nothing to seed yet: edit prisma\/seed.ts[\s\S]*✔ Seeded/);

    const server = runCairn(bin, ['start'], { cwd: app, env: env() });
    try {
      const url = await server.serving();
      await useTheApi(url, 'ada@example.com');
      sqliteSdl = await introspectedSdl(url);
    } finally {
      await server.stop();
    }
  });

  it('migrate reset works on the database `cairn start` pushed', async () => {
    // No migrations yet: reset drops the pushed tables and leaves an empty database.
    const reset = await cairn(['migrate', 'reset', '--force']);
    expect(reset).toMatch(/- drop table Project \(1 row\)[\s\S]*✔ Database reset, 0 migration\(s\) applied/);
  });

  it('migrate dev writes the SQLite and the PostgreSQL migration for the same change', async () => {
    const output = await cairn(['migrate', 'dev', '--name', 'init']);
    expect(output).toMatch(/✔ Created and applied (\d{14}_init) \(prisma\/migrations\/sqlite\/\1\/migration.sql\)[\s\S]*✔ Created \1 for postgresql too/);
    const [name] = readdirSync(join(app, 'prisma/migrations/postgresql')).filter((f) => f.endsWith('_init'));
    const pgSql = readFileSync(join(app, 'prisma/migrations/postgresql', name!, 'migration.sql'), 'utf8');
    expect(pgSql).toMatch(/CREATE TYPE "Status" AS ENUM \('PLANNED', 'ACTIVE', 'DONE'\)/);
    expect(pgSql).toMatch(/CREATE TABLE "_LabelToProject"/);
    expect(readFileSync(join(app, 'prisma/migrations/sqlite', name!, 'migration.sql'), 'utf8')).toMatch(/CREATE TABLE "_LabelToProject"/);
    // A second change: the PostgreSQL migration is the difference, not the whole schema again.
    const path = join(app, 'prisma/schema.prisma');
    writeFileSync(path, readFileSync(path, 'utf8').replace('  name    String\n  status', '  name    String\n  dueAt   DateTime?\n  status'));
    // (migrate dev regenerates the clients itself when the schema changed.)
    expect(await cairn(['migrate', 'dev', '--name', 'due dates'])).toMatch(/for postgresql too[\s\S]*\+ created column Project\.dueAt/);
  });

  it.runIf(postgresUrl)('migrate deploy on a fresh PostgreSQL, then production serves the same API from it', async () => {
    const databaseUrl = await dbs.create('postgresql');
    const deployed = await cairn(['migrate', 'deploy'], { DATABASE_URL: databaseUrl, NODE_ENV: 'production' });
    expect(deployed).toMatch(/2 migration\(s\) found in prisma\/migrations\/postgresql[\s\S]*✔ Applied 2 migration\(s\)/);
    // The migrations made offline replay to exactly the schema (status diffs them on a shadow database).
    const status = await cairn(['migrate', 'status'], { DATABASE_URL: databaseUrl });
    expect(status).toMatch(/Database vs\. its migrations: no drift\nschema\.prisma vs\. migrations: no drift\n✔ Database schema is up to date/);

    // Introspection is off in production by default; on here, to compare the served SDL.
    const server = runCairn(bin, ['start'], { cwd: app, env: env({ DATABASE_URL: databaseUrl, NODE_ENV: 'production', CAIRN_INTROSPECTION: 'true' }) });
    try {
      const url = await server.serving();
      expect(server.output()).toMatch(/No pending migrations in prisma\/migrations\/postgresql/);
      await useTheApi(url, 'grace@example.com');
      const pgSdl = await introspectedSdl(url);
      // The same object types and the same queries and mutations. Argument-level parity (PostgreSQL's
      // `mode: insensitive` filters today) is the schema's own suite (one SDL per provider).
      const shape = (sdl: string) => ({
        types: [...sdl.matchAll(/^type (\w+)/gm)].map((m) => m[1]).sort(),
        roots: [...sdl.matchAll(/^type (Query|Mutation) {\n([\s\S]*?)\n}/gm)].map((m) => [m[1], [...m[2]!.matchAll(/^  (\w+)/gm)].map((f) => f[1]).sort()]),
      });
      expect(shape(pgSdl)).toEqual(shape(sqliteSdl));
      expect(shape(pgSdl).types).toContain('Project');
      expect(pgSdl).toMatch(/dueAt: DateTime/);
    } finally {
      await server.stop();
    }
  });

  it('migrate deploy without migrations is an error in production', async () => {
    const run = runCairn(bin, ['migrate', 'deploy'], { cwd: app, env: env({ NODE_ENV: 'production', CAIRN_MIGRATIONS_DIR: join(app, 'nowhere'), DATABASE_URL: `file:${join(app, 'data', 'x.db')}` }) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/No migrations in nowhere\/sqlite \(DATABASE_URL is sqlite\)/);
  });

  it('a stale build: production refuses to serve it, naming both files; development regenerates', async () => {
    const path = join(app, 'prisma/schema.prisma');
    writeFileSync(path, readFileSync(path, 'utf8').replace('/// @@allow("read", true)\n/// @@allow("create,update,delete", auth().id == ownerId)\nmodel Project', '/// @@allow("read", auth().id == ownerId)\n/// @@allow("create,update,delete", auth().id == ownerId)\nmodel Project'));
    const refused = runCairn(bin, ['start'], { cwd: app, env: env({ NODE_ENV: 'production', DATABASE_URL: `file:${join(app, 'data', 'dev.db')}` }) });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/prisma\/schema\.prisma does not match the client in src\/generated\/sqlite: .*changed since .* was generated[\s\S]*old access rules[\s\S]*npx cairn generate/);

    const dev = runCairn(bin, ['start'], { cwd: app, env: env({ DATABASE_URL: `file:${join(app, 'data', 'dev.db')}` }) });
    try {
      const url = await dev.serving();
      expect(dev.output()).toMatch(/changed since the last `npx cairn generate`: generating the clients again/);
      // The new rule serves: signed out, no project is readable any more.
      expect(await gql(url, '{ projects { name } }')).toEqual({ data: { projects: [] } });
    } finally {
      await dev.stop();
    }
  });

  it('cairn rules reads the schema as it is now, not the last build', async () => {
    const path = join(app, 'prisma/schema.prisma');
    writeFileSync(path, readFileSync(path, 'utf8').replace('/// @@allow("create", "user" in auth().roles)\nmodel Label', '/// @@allow("create", "editor" in auth().roles)\nmodel Label'));
    expect(await cairn(['rules'])).toMatch(/"editor" in auth\(\)\.roles/);
  });
});
