import { createTestApp, testProviders } from '../support/test-app.ts';
import { describeMatrix, type ModelCase, type World } from './run-matrix.ts';
import { orgOf, tenancyWorld } from './tenancy-world.ts';

const all = ['anonymous', 'owner', 'other', 'admin'] as const;
const raw = (w: World) => w.t.app.db;
const org = async (w: World) => (await orgOf(w.t, w.id.owner, w.unique('org'))).id as string;
const project = async (w: World) => (await raw(w).project.create({ data: { name: 'P', budget: '1000.50', orgId: await org(w) } })).id as string;

/** The tenancy fixture: string ids, a composite id, rules through two relation hops. */
const cases: ModelCase[] = [
  {
    model: 'Org',
    key: ['id'],
    seed: async (w) => raw(w).org.findUnique({ where: { id: await org(w) } }),
    // Creating an org with the owner as its OWNER: only the owner may make themselves owner.
    create: (w) => ({ slug: w.unique('org'), members: { create: [{ userId: w.id.owner, role: 'OWNER' }] } }),
    createMany: (w) => [{ slug: w.unique('org') }],
    update: (w) => ({ slug: w.unique('renamed') }),
    allowed: { read: ['owner', 'admin'], create: ['owner'], createMany: ['owner', 'other', 'admin'], update: ['owner'], delete: ['owner'] },
  },
  {
    model: 'OrgMember',
    key: ['orgId', 'userId'],
    where: (row) => ({ orgId_userId: { orgId: row.orgId, userId: row.userId } }),
    seed: async (w) => raw(w).orgMember.create({ data: { orgId: await org(w), userId: w.unique('member'), role: 'MEMBER' } }),
    create: async (w) => ({ org: { connect: { id: await org(w) } }, userId: w.unique('member') }),
    createMany: async (w) => [{ orgId: await org(w), userId: w.unique('member') }],
    update: () => ({ role: 'ADMIN' }),
    allowed: { read: ['owner'], create: ['owner'], update: ['owner'], delete: ['owner'] },
  },
  {
    model: 'Project',
    key: ['id'],
    seed: async (w) => raw(w).project.findUnique({ where: { id: await project(w) } }),
    create: async (w) => ({ name: 'New', org: { connect: { id: await org(w) } } }),
    createMany: async (w) => [{ name: 'New', orgId: await org(w) }],
    update: () => ({ name: 'Renamed' }),
    allowed: { read: ['owner'], create: ['owner'], update: ['owner'], delete: ['owner'] },
  },
  {
    model: 'Task',
    key: ['id'],
    seed: async (w) => raw(w).task.create({ data: { title: 'T', projectId: await project(w), reporterId: String(w.id.owner) } }),
    create: async (w) => ({ title: 'New', project: { connect: { id: await project(w) } }, reporterId: w.id.owner }),
    createMany: async (w) => [{ title: 'New', projectId: await project(w), reporterId: String(w.id.owner) }],
    update: () => ({ title: 'Renamed', state: 'DONE' }),
    allowed: { read: ['owner'], create: ['owner'], update: ['owner'], delete: ['owner'] },
  },
  {
    model: 'Label',
    key: ['id'],
    seed: async (w) => raw(w).label.create({ data: { name: w.unique('label') } }),
    create: (w) => ({ name: w.unique('label') }),
    createMany: (w) => [{ name: w.unique('label') }],
    update: (w) => ({ name: w.unique('renamed') }),
    allowed: { read: [...all], create: ['admin'], update: ['admin'], delete: ['admin'] },
  },
];

for (const provider of testProviders) {
  describeMatrix(
    `access matrix: tenancy fixture [${provider}]`,
    () => createTestApp('tenancy', provider, {}, { viewerHeader: true }),
    cases,
    { world: tenancyWorld },
  );
}
