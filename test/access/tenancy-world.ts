import { testViewerHeader, type TestApp } from '../support/test-app.ts';
import type { World } from './run-matrix.ts';

/**
 * The tenancy fixture has no auth models: viewers are plain string ids sent in the test viewer
 * header (authentication bypassed, rules enforced). The owner is an org's OWNER, the other user
 * belongs to no org, the admin is global staff.
 */
export async function tenancyWorld(t: TestApp, unique: (prefix: string) => string): Promise<World> {
  const id = { owner: unique('owner'), other: unique('other'), admin: unique('staff') };
  const as = (viewer: { id: string; roles: string[] }) => ({ [testViewerHeader]: JSON.stringify(viewer) });
  return {
    t,
    unique,
    id,
    headers: {
      anonymous: {},
      owner: as({ id: id.owner, roles: [] }),
      other: as({ id: id.other, roles: [] }),
      admin: as({ id: id.admin, roles: ['staff'] }),
    },
  };
}

/** An org (through the raw client) whose OWNER is `owner`, with optional further members. */
export async function orgOf(t: TestApp, owner: string | number, slug: string, members: { userId: string; role: string }[] = []) {
  return t.app.db.org.create({
    data: { slug, billingEmail: `${slug}@billing.test`, members: { create: [{ userId: String(owner), role: 'OWNER' }, ...members] } },
  });
}
