import type { TestApp } from '../support/test-app.ts';
import type { World } from './run-matrix.ts';

/**
 * Users of the example app signed in through auth's real sessions (a bearer token per user), so
 * the viewer — roles included — comes from the database exactly as in production.
 */
export async function signedIn(t: TestApp, email: string, roles = 'user'): Promise<{ id: number; headers: Record<string, string> }> {
  const user = await t.app.db.user.create({ data: { email, roles } });
  const { token } = await t.app.auth!.sessions.create(user.id);
  return { id: user.id, headers: { authorization: `Bearer ${token}` } };
}

/** A fresh owner, other user and admin for one matrix cell. */
export async function blogWorld(t: TestApp, unique: (prefix: string) => string): Promise<World> {
  const [owner, other, admin] = await Promise.all([
    signedIn(t, `${unique('owner')}@test.dev`),
    signedIn(t, `${unique('other')}@test.dev`),
    signedIn(t, `${unique('admin')}@test.dev`, 'user,admin'),
  ]);
  return {
    t,
    unique,
    id: { owner: owner.id, other: other.id, admin: admin.id },
    headers: { anonymous: {}, owner: owner.headers, other: other.headers, admin: admin.headers },
  };
}
