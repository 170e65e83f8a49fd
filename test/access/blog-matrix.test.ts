import { createTestApp, testProviders } from '../support/test-app.ts';
import { blogWorld } from './blog-world.ts';
import { describeMatrix, type ModelCase, type World } from './run-matrix.ts';

const all = ['anonymous', 'owner', 'other', 'admin'] as const;
const raw = (w: World) => w.t.app.db;
/** A third user the cell's roles are not: the author of the post a comment is on, a club's owner, … */
const someone = async (w: World) => (await raw(w).user.create({ data: { email: `${w.unique('someone')}@test.dev` } })).id as number;
const post = async (w: World, authorId: number, status = 'DRAFT') =>
  (await raw(w).post.create({ data: { title: 'T', slug: w.unique('post'), status, authorId } })).id as number;
const club = async (w: World, ownerId: number, isPrivate: boolean) =>
  (await raw(w).club.create({ data: { name: w.unique('club'), private: isPrivate, ownerId } })).id as number;

/** The example app (examples/blog): every model × operation × role, as its rules say. */
const cases: ModelCase[] = [
  {
    model: 'User',
    key: ['id'],
    // The owner's row is the owner.
    seed: async (w) => raw(w).user.findUnique({ where: { id: w.id.owner } }),
    create: (w) => ({ email: `${w.unique('new')}@test.dev` }),
    createMany: (w) => [{ email: `${w.unique('new')}@test.dev` }],
    update: () => ({ name: 'Renamed' }),
    allowed: { read: [...all], create: ['admin'], update: ['owner', 'admin'], delete: ['admin'] },
    // Users come from signUp, OAuth, the CLI and the seed: User.email is auth's, so the generated
    // create inputs have none (test/auth/email-change.test.ts covers that refusal).
    notInApi: ['create', 'createMany', 'upsert'],
  },
  {
    model: 'Profile',
    key: ['id'],
    seed: async (w) => raw(w).profile.create({ data: { userId: w.id.owner, bio: 'hi' } }),
    create: (w) => ({ bio: 'hi', user: { connect: { id: w.id.owner } } }),
    createMany: (w) => [{ bio: 'hi', userId: w.id.owner }],
    update: () => ({ bio: 'changed' }),
    allowed: { read: [...all], create: ['owner', 'admin'], update: ['owner', 'admin'], delete: ['owner', 'admin'] },
  },
  {
    name: 'draft',
    model: 'Post',
    key: ['id'],
    seed: async (w) => raw(w).post.findUnique({ where: { id: await post(w, w.id.owner as number) } }),
    create: (w) => ({ title: 'New', slug: w.unique('new'), authorId: w.id.owner }),
    createMany: (w) => [{ title: 'New', slug: w.unique('new'), authorId: w.id.owner }],
    update: () => ({ title: 'Changed' }),
    allowed: { read: ['owner', 'admin'], create: ['owner'], update: ['owner', 'admin'], delete: ['owner', 'admin'] },
  },
  {
    name: 'published',
    model: 'Post',
    key: ['id'],
    seed: async (w) => raw(w).post.findUnique({ where: { id: await post(w, w.id.owner as number, 'PUBLISHED') } }),
    create: (w) => ({ title: 'New', slug: w.unique('new'), status: 'PUBLISHED', author: { connect: { id: w.id.owner } } }),
    createMany: (w) => [{ title: 'New', slug: w.unique('new'), status: 'PUBLISHED', authorId: w.id.owner }],
    update: () => ({ title: 'Changed' }),
    // Authors archive published posts instead of deleting them (@@deny).
    allowed: { read: [...all], create: ['owner'], update: ['owner', 'admin'], delete: ['admin'] },
  },
  {
    name: 'on a published post',
    model: 'Comment',
    key: ['id'],
    seed: async (w) => raw(w).comment.create({ data: { body: 'c', postId: await post(w, await someone(w), 'PUBLISHED'), authorId: w.id.owner } }),
    create: async (w) => ({ body: 'c', post: { connect: { id: await post(w, await someone(w), 'PUBLISHED') } }, author: { connect: { id: w.id.owner } } }),
    createMany: async (w) => [{ body: 'c', postId: await post(w, await someone(w), 'PUBLISHED'), authorId: w.id.owner }],
    update: () => ({ body: 'edited' }),
    allowed: { read: [...all], create: ['owner'], update: ['owner'], delete: ['owner', 'admin'] },
  },
  {
    name: "on the owner's draft",
    model: 'Comment',
    key: ['id'],
    seed: async (w) => raw(w).comment.create({ data: { body: 'c', postId: await post(w, w.id.owner as number), authorId: w.id.owner } }),
    create: async (w) => ({ body: 'c', postId: await post(w, w.id.owner as number), authorId: w.id.owner }),
    createMany: async (w) => [{ body: 'c', postId: await post(w, w.id.owner as number), authorId: w.id.owner }],
    update: () => ({ body: 'edited' }),
    allowed: { read: ['owner', 'admin'], create: ['owner'], update: ['owner'], delete: ['owner', 'admin'] },
  },
  {
    model: 'Tag',
    key: ['id'],
    seed: async (w) => raw(w).tag.create({ data: { name: w.unique('tag') } }),
    create: (w) => ({ name: w.unique('tag') }),
    createMany: (w) => [{ name: w.unique('tag') }, { name: w.unique('tag') }],
    update: (w) => ({ name: w.unique('renamed') }),
    allowed: { read: [...all], create: ['admin'], update: ['admin'], delete: ['admin'] },
  },
  {
    model: 'Follow',
    key: ['followerId', 'followingId'],
    where: (row) => ({ followerId_followingId: { followerId: row.followerId, followingId: row.followingId } }),
    seed: async (w) => raw(w).follow.create({ data: { followerId: w.id.owner, followingId: await someone(w) } }),
    create: async (w) => ({ follower: { connect: { id: w.id.owner } }, following: { connect: { id: await someone(w) } } }),
    createMany: async (w) => [{ followerId: w.id.owner, followingId: await someone(w) }],
    update: () => ({ createdAt: '2020-01-01T00:00:00.000Z' }),
    allowed: { read: [...all], create: ['owner'], update: [], delete: ['owner'] },
  },
  {
    name: 'private',
    model: 'Club',
    key: ['id'],
    seed: async (w) => raw(w).club.findUnique({ where: { id: await club(w, w.id.owner as number, true) } }),
    create: (w) => ({ name: w.unique('club'), private: true, ownerId: w.id.owner }),
    createMany: (w) => [{ name: w.unique('club'), private: true, ownerId: w.id.owner }],
    update: (w) => ({ name: w.unique('renamed') }),
    allowed: { read: ['owner', 'admin'], create: ['owner'], update: ['owner'], delete: ['owner', 'admin'] },
  },
  {
    name: 'in a public club',
    model: 'Membership',
    key: ['id'],
    seed: async (w) => raw(w).membership.create({ data: { clubId: await club(w, await someone(w), false), userId: w.id.owner } }),
    // Joining a public club yourself is allowed by a relation-based create rule (checked after the insert).
    create: async (w) => ({ club: { connect: { id: await club(w, await someone(w), false) } }, userId: w.id.owner }),
    createMany: async (w) => [{ clubId: await club(w, await someone(w), false), userId: w.id.owner }],
    update: () => ({ role: 'moderator' }),
    allowed: { read: ['owner', 'admin'], create: ['owner'], update: [], delete: ['owner'] },
  },
  {
    name: 'in a private club',
    model: 'Membership',
    key: ['id'],
    seed: async (w) => raw(w).membership.create({ data: { clubId: await club(w, await someone(w), true), userId: w.id.owner } }),
    create: async (w) => ({ club: { connect: { id: await club(w, w.id.owner as number, true) } }, userId: w.id.other }),
    createMany: async (w) => [{ clubId: await club(w, w.id.owner as number, true), userId: w.id.other }],
    update: () => ({ role: 'moderator' }),
    // The club's owner (the cell's owner, in create) adds members to a private club; nobody else can.
    allowed: { read: ['owner', 'admin'], create: ['owner'], update: [], delete: ['owner'] },
  },
];

for (const provider of testProviders) {
  describeMatrix(`access matrix: example app [${provider}]`, () => createTestApp('blog', provider), cases, { world: blogWorld });
}
