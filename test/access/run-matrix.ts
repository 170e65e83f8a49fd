import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { names } from '../../src/schema/index.ts';
import type { GraphQLResponse, TestApp } from '../support/test-app.ts';

export const roles = ['anonymous', 'owner', 'other', 'admin'] as const;
export type Role = (typeof roles)[number];
type Row = Record<string, any>;

/** One cell's actors: each role's id (none for anonymous) and the headers that make a request theirs. */
export interface World {
  t: TestApp;
  id: Record<Exclude<Role, 'anonymous'>, string | number>;
  headers: Record<Role, Record<string, string>>;
  /** A fresh value for unique columns. */
  unique(prefix: string): string;
}

/**
 * One model of a fixture in the matrix: how to make a row the `owner` owns (through the raw
 * client), the inputs the API is called with, and which roles each operation is allowed to.
 * `create` and `createMany` make a row *for the owner*: for every other role that is the IDOR case.
 */
export interface ModelCase {
  /** Shown in test names when one model has several cases (e.g. draft and published posts). */
  name?: string;
  model: string;
  key: string[];
  /** The GraphQL unique where of a row (default `{ id }`). */
  where?: (row: Row) => Row;
  seed(w: World): Promise<Row>;
  create(w: World): Promise<Row> | Row;
  createMany(w: World): Promise<Row[]> | Row[];
  /** Scalars only, so it serves updateMany too. */
  update(w: World): Row;
  allowed: { read: Role[]; create: Role[]; update: Role[]; delete: Role[]; createMany?: Role[] };
  /** Operations the API cannot perform for this model at all (tested where that is decided instead). */
  notInApi?: readonly (typeof ops)[number][];
}

export interface MatrixOptions {
  /** Makes a fresh world (users and their credentials) for one cell. */
  world(t: TestApp, unique: (prefix: string) => string): Promise<World>;
}

const ops = ['read', 'list', 'count', 'aggregate', 'groupBy', 'connection', 'create', 'createMany', 'update', 'upsert', 'updateMany', 'delete', 'deleteMany'] as const;

/**
 * Generates the access matrix for `cases`: every model × operation, each run as every role on a
 * world of its own, over HTTP. Allowed reads see the row, denied ones see nothing (null, empty,
 * zero); allowed writes succeed, denied ones leave the database unchanged and are FORBIDDEN —
 * or NOT_FOUND, exactly as for a missing row, when the viewer may not read the row it names (a
 * create may also be NOT_FOUND: the row it points at can be hidden).
 */
export function describeMatrix(name: string, app: () => Promise<TestApp>, cases: ModelCase[], options: MatrixOptions): void {
  describe(name, () => {
    let t: TestApp;
    let n = 0;
    const unique = (prefix: string) => `${prefix}-${++n}-${Math.random().toString(36).slice(2, 6)}`;
    beforeAll(async () => {
      t = await app();
    });
    afterAll(() => t.close());

    for (const spec of cases) {
      const m = spec.model;
      const key = spec.key.join(' ');
      const whereOf = spec.where ?? ((row: Row) => ({ id: row.id }));
      const filterOf = (row: Row) => Object.fromEntries(spec.key.map((k) => [k, { equals: row[k] }]));
      const delegate = m.charAt(0).toLowerCase() + m.slice(1);
      const raw = () => (t.app.db as any)[delegate];
      const rawRow = (row: Row) => raw().findFirst({ where: Object.fromEntries(spec.key.map((k) => [k, row[k]])) });
      const label = spec.name ? `${m} (${spec.name})` : m;

      for (const op of ops.filter((o) => !spec.notInApi?.includes(o))) {
        it(`${label}: ${op}`, async () => {
          for (const role of roles) {
            const w = await options.world(t, unique);
            const gql = (query: string, variables: Row) => t.gql(query, variables, w.headers[role]);
            const may = (what: keyof ModelCase['allowed']) => (spec.allowed[what] ?? spec.allowed.create).includes(role);
            const context = `${label} ${op} as ${role}`;
            const seeded = ['create', 'createMany'].includes(op) ? undefined : await spec.seed(w);
            const filter = seeded && filterOf(seeded);
            const before = seeded && (await rawRow(seeded));
            const readable = may('read');
            switch (op) {
              case 'read': {
                const data = ok(await gql(`query($w: ${names.whereUnique(m)}!) { ${names.single(m)}(where: $w) { ${key} } }`, { w: whereOf(seeded!) }), context);
                expect(data[names.single(m)] !== null, context).toBe(readable);
                break;
              }
              case 'list': {
                const data = ok(await gql(`query($f: ${names.where(m)}) { ${names.list(m)}(where: $f) { ${key} } }`, { f: filter }), context);
                expect(data[names.list(m)], context).toHaveLength(readable ? 1 : 0);
                break;
              }
              case 'count': {
                const data = ok(await gql(`query($f: ${names.where(m)}) { ${names.count(m)}(where: $f) }`, { f: filter }), context);
                expect(data[names.count(m)], context).toBe(readable ? 1 : 0);
                break;
              }
              case 'aggregate': {
                const data = ok(await gql(`query($f: ${names.where(m)}) { ${names.aggregate(m)}(where: $f) { _count { _all } } }`, { f: filter }), context);
                expect(data[names.aggregate(m)]._count._all, context).toBe(readable ? 1 : 0);
                break;
              }
              case 'groupBy': {
                const data = ok(await gql(`query($f: ${names.where(m)}) { ${names.groupBy(m)}(by: [${spec.key[0]}], where: $f) { _count { _all } } }`, { f: filter }), context);
                expect(data[names.groupBy(m)], context).toHaveLength(readable ? 1 : 0);
                break;
              }
              case 'connection': {
                const data = ok(await gql(`query($f: ${names.where(m)}) { ${names.connection(m)}(where: $f) { totalCount edges { node { ${key} } } } }`, { f: filter }), context);
                expect(data[names.connection(m)].totalCount, context).toBe(readable ? 1 : 0);
                expect(data[names.connection(m)].edges, context).toHaveLength(readable ? 1 : 0);
                break;
              }
              case 'create': {
                const data = await spec.create(w);
                const total = await raw().count();
                const response = await gql(`mutation($d: ${names.createInput(m)}!) { ${names.create(m)}(data: $d) { ${key} } }`, { d: data });
                expectOutcome(response, may('create'), context, 'either');
                expect(await raw().count(), context).toBe(total + (may('create') ? 1 : 0));
                break;
              }
              case 'createMany': {
                const data = await spec.createMany(w);
                const total = await raw().count();
                const response = await gql(`mutation($d: [${names.createManyInput(m)}!]!) { ${names.createMany(m)}(data: $d) { count } }`, { d: data });
                expectOutcome(response, may('createMany'), context, 'either');
                expect(await raw().count(), context).toBe(total + (may('createMany') ? data.length : 0));
                break;
              }
              case 'update':
              case 'upsert': {
                const query =
                  op === 'update'
                    ? `mutation($w: ${names.whereUnique(m)}!, $u: ${names.updateInput(m)}!) { ${names.update(m)}(where: $w, data: $u) { ${key} } }`
                    : `mutation($w: ${names.whereUnique(m)}!, $c: ${names.createInput(m)}!, $u: ${names.updateInput(m)}!) { ${names.upsert(m)}(where: $w, create: $c, update: $u) { ${key} } }`;
                const variables = { w: whereOf(seeded!), u: spec.update(w), ...(op === 'upsert' ? { c: await spec.create(w) } : {}) };
                const response = await gql(query, variables);
                expectOutcome(response, may('update'), context, readable ? 'FORBIDDEN' : 'NOT_FOUND');
                if (!may('update')) expect(await rawRow(seeded!), context).toEqual(before);
                break;
              }
              case 'updateMany': {
                const data = ok(await gql(`mutation($f: ${names.where(m)}!, $u: ${names.updateManyInput(m)}!) { ${names.updateMany(m)}(where: $f, data: $u) { count } }`, { f: filter, u: spec.update(w) }), context);
                expect(data[names.updateMany(m)].count, context).toBe(may('update') ? 1 : 0);
                if (!may('update')) expect(await rawRow(seeded!), context).toEqual(before);
                break;
              }
              case 'delete': {
                const response = await gql(`mutation($w: ${names.whereUnique(m)}!) { ${names.delete(m)}(where: $w) { ${key} } }`, { w: whereOf(seeded!) });
                expectOutcome(response, may('delete'), context, readable ? 'FORBIDDEN' : 'NOT_FOUND');
                expect(await rawRow(seeded!), context).toEqual(may('delete') ? null : before);
                break;
              }
              case 'deleteMany': {
                const data = ok(await gql(`mutation($f: ${names.where(m)}!) { ${names.deleteMany(m)}(where: $f) { count } }`, { f: filter }), context);
                expect(data[names.deleteMany(m)].count, context).toBe(may('delete') ? 1 : 0);
                expect(await rawRow(seeded!), context).toEqual(may('delete') ? null : before);
                break;
              }
            }
          }
        });
      }
    }
  });
}

/** The response's data, asserting it carried no errors. */
export function ok(response: GraphQLResponse, context = ''): any {
  expect(response.errors, `${context}: ${JSON.stringify(response.errors)}`).toBeUndefined();
  return response.data;
}

/** Asserts the response failed with FORBIDDEN and returns the error. */
export function forbidden(response: GraphQLResponse, context = '') {
  expect(response.errors?.map((e) => e.extensions.code), `${context}: ${JSON.stringify(response)}`).toEqual(['FORBIDDEN']);
  return response.errors![0]!;
}

/** Asserts the response failed with NOT_FOUND (a hidden row answers as a missing one) and returns the error. */
export function notFound(response: GraphQLResponse, context = '') {
  expect(response.errors?.map((e) => e.extensions.code), `${context}: ${JSON.stringify(response)}`).toEqual(['NOT_FOUND']);
  return response.errors![0]!;
}

function expectOutcome(response: GraphQLResponse, allowed: boolean, context: string, denied: 'FORBIDDEN' | 'NOT_FOUND' | 'either'): void {
  if (allowed) ok(response, context);
  else if (denied === 'FORBIDDEN') forbidden(response, context);
  else {
    const codes = response.errors?.map((e) => e.extensions.code);
    const expected = denied === 'either' ? [['FORBIDDEN'], ['NOT_FOUND']] : [['NOT_FOUND']];
    expect(expected, `${context}: ${JSON.stringify(response)}`).toContainEqual(codes);
  }
}
