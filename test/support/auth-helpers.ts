import { expect } from 'vitest';
import type { GraphQLResponse, TestApp } from './test-app.ts';

/** The public URL auth suites configure; yoga.fetch requests go to the same host. */
export const publicUrl = 'http://cairn.test';
export const authEnv = { PUBLIC_URL: publicUrl };
export const password = 'correct horse battery staple';

export const minutes = (n: number) => n * 60_000;
export const days = (n: number) => n * 24 * 3600_000;

/** A clock tests move by hand: sessions, tokens and throttling all read it. */
export function createClock(start = new Date('2026-03-01T12:00:00.000Z')) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance: (ms: number) => void (at += ms),
  };
}

export interface BrowserResponse<T = any> extends GraphQLResponse<T> {
  response: Response;
}

/**
 * A browser on `origin`: keeps the cookies responses set and sends them back with its Origin, as
 * a page on that origin would. `origin: null` sends none (e.g. a same-origin GET, or curl).
 */
export function createBrowser(t: TestApp, origin: string | null = publicUrl) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at), pair!.slice(at + 1)];
      if (/max-age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  };
  const headers = (extra: Record<string, string> = {}) => ({
    ...(origin ? { origin } : {}),
    ...(jar.size ? { cookie: cookieHeader() } : {}),
    ...extra,
  });
  return {
    jar,
    async gql<T = any>(query: string, variables?: Record<string, unknown>, extra?: Record<string, string>): Promise<BrowserResponse<T>> {
      const response = await t.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers(extra) },
        body: JSON.stringify({ query, variables }),
      });
      keep(response);
      return { ...((await response.clone().json()) as GraphQLResponse<T>), response };
    },
    /** A GET through the app (no redirects followed), keeping cookies. */
    async get(url: string): Promise<Response> {
      const response = await t.fetch(url, { headers: headers() });
      keep(response);
      return response;
    },
  };
}

export type Browser = ReturnType<typeof createBrowser>;

export const signUpMutation = `mutation ($email: String!, $password: String!, $name: String) {
  signUp(email: $email, password: $password, name: $name) { token expiresAt user { id email roles emailVerified name } }
}`;
export const signInMutation = `mutation ($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { token expiresAt user { id email } }
}`;

/** Signs a user up through the API and returns the session token and user id. */
export async function signUp(t: TestApp, email: string, pw = password): Promise<{ token: string; id: number }> {
  const result = await t.gql(signUpMutation, { email, password: pw });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return { token: result.data.signUp.token, id: result.data.signUp.user.id };
}

export async function signIn(t: TestApp, email: string, pw = password, headers?: Record<string, string>) {
  return t.gql(signInMutation, { email, password: pw }, headers);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The e-mail of whom a token belongs to, through `me` (null when signed out). */
export async function meEmail(t: TestApp, headers: Record<string, string>): Promise<string | null> {
  const result = await t.gql('{ me { email } }', {}, headers);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data.me?.email ?? null;
}

/** Everything auth stores, to assert that a refused operation changed nothing. */
export async function authState(t: TestApp) {
  const db = t.app.db;
  return {
    users: await db.user.findMany({ select: { id: true, email: true, passwordHash: true, roles: true, emailVerified: true }, orderBy: { id: 'asc' } }),
    sessions: await db.session.findMany({ select: { id: true, expiresAt: true }, orderBy: { id: 'asc' } }),
    accounts: await db.account.findMany({ select: { provider: true, providerAccountId: true, userId: true }, orderBy: { id: 'asc' } }),
    tokens: await db.authToken.findMany({ select: { id: true, kind: true, expiresAt: true }, orderBy: { id: 'asc' } }),
  };
}

/** The token in the newest e-mail to `to` (reset or verification link). */
export function linkToken(t: TestApp, to: string): string {
  const text = t.app.auth!.outbox!.last(to)?.text ?? '';
  const match = /\?token=([a-z2-7]+)/.exec(text);
  expect(match, `no link in the last e-mail to ${to}: ${text}`).toBeTruthy();
  return match![1]!;
}

/** A refused operation: one error with `code`, and data for the field null. */
export function refused(result: GraphQLResponse, code: string) {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0]!.extensions.code, result.errors![0]!.message).toBe(code);
  return result.errors![0]!;
}
