import type { GraphQLInputObjectType, GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerated, type Datamodel, type Field } from '../../src/db/index.ts';
import { buildSchema } from '../../src/schema/index.ts';
import { generatedBy } from '../../src/schema/read-only-fields.ts';
import { blogScene, type BlogScene } from '../access/blog-fixture.ts';
import { expectData, expectError } from '../generic/expect-data.ts';
import { fixtures, type FixtureName } from '../support/fixtures.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

async function schemaOf(fixture: FixtureName, edit?: (datamodel: Datamodel) => void, readOnlyFields?: Record<string, string[]>) {
  const generated = await loadGenerated(fixtures[fixture].generated, 'sqlite');
  const datamodel = structuredClone(generated.datamodel);
  edit?.(datamodel);
  return buildSchema({ datamodel, dbNull: generated.Prisma.DbNull, readOnlyFields });
}
const inputFields = (schema: GraphQLSchema, name: string) => Object.keys((schema.getType(name) as GraphQLInputObjectType).getFields());
const field = (datamodel: Datamodel, model: string, name: string) =>
  datamodel.models.find((m) => m.name === model)!.fields.find((f) => f.name === name) as { documentation?: string };

describe('read-only by default: generated ids, @updatedAt and @default(now())', () => {
  it('leaves them out of every create and update input, nested and *Many ones included', async () => {
    const schema = await schemaOf('blog');
    for (const input of ['PostCreateInput', 'PostUpdateInput', 'PostCreateManyInput', 'PostUpdateManyInput', 'PostCreateWithoutAuthorInput', 'PostUpdateWithoutAuthorInput']) {
      const fields = inputFields(schema, input);
      for (const generated of ['id', 'createdAt', 'updatedAt']) expect(fields, `${input}.${generated}`).not.toContain(generated);
      expect(fields, input).toContain('title');
    }
    // Filters and unique selectors still take them.
    expect(inputFields(schema, 'PostWhereUniqueInput')).toContain('id');
    expect(inputFields(schema, 'PostWhereInput')).toEqual(expect.arrayContaining(['id', 'createdAt', 'updatedAt']));
  });

  it('keeps client-chosen ids and composite ids writable', async () => {
    const catalog = await schemaOf('catalog');
    expect(inputFields(catalog, 'WarehouseCreateInput')).toContain('code'); // String @id, no default
    expect(inputFields(catalog, 'CategoryCreateInput')).not.toContain('id'); // @default(autoincrement())
    expect(inputFields(catalog, 'StockLevelCreateManyInput')).toEqual(expect.arrayContaining(['warehouseCode', 'productSku', 'quantity']));
    expect(inputFields(catalog, 'StockLevelUpdateInput')).not.toContain('updatedAt');
    const blog = await schemaOf('blog');
    expect(inputFields(blog, 'FollowCreateInput')).toEqual(expect.arrayContaining(['followerId', 'followingId']));
    const tenancy = await schemaOf('tenancy');
    expect(inputFields(tenancy, 'OrgCreateInput')).not.toContain('id'); // @default(uuid())
    expect(inputFields(tenancy, 'OrgMemberCreateInput')).toEqual(expect.arrayContaining(['org', 'userId']));
  });

  it('opens a field annotated /// @writable (and keeps the annotation out of its description)', async () => {
    const schema = await schemaOf('blog', (dm) => {
      field(dm, 'Post', 'createdAt').documentation = 'When it was written.\n@writable';
      field(dm, 'Post', 'id').documentation = '@writable';
    });
    expect(inputFields(schema, 'PostCreateInput')).toEqual(expect.arrayContaining(['id', 'createdAt']));
    expect(inputFields(schema, 'PostUpdateInput')).not.toContain('updatedAt');
    const createdAt = (schema.getType('PostCreateInput') as GraphQLInputObjectType).getFields().createdAt!;
    expect((schema.getType('Post') as any).getFields().createdAt.description).toBe('When it was written.');
    expect(createdAt.type.toString()).toBe('DateTime');
  });

  it('adds the fields of the readOnlyFields option (auth puts User.email etc. through it)', async () => {
    const schema = await schemaOf('blog', undefined, { User: ['email', 'roles'] });
    expect(inputFields(schema, 'UserCreateInput')).not.toEqual(expect.arrayContaining(['email']));
    expect(inputFields(schema, 'UserUpdateInput')).not.toContain('roles');
    expect(inputFields(schema, 'UserUpdateInput')).toContain('name');
  });

  it('names why a field is generated', () => {
    const f = (extra: Partial<Field> & Record<string, unknown>) => ({ name: 'x', kind: 'scalar', type: 'String', isId: false, ...extra }) as unknown as Field;
    expect(generatedBy(f({ isId: true, default: { name: 'cuid', args: [] } }))).toBe('@default(cuid())');
    expect(generatedBy(f({ isId: true, default: { name: 'dbgenerated', args: ['gen_random_uuid()'] } }))).toBe('@default(dbgenerated())');
    expect(generatedBy(f({ type: 'DateTime', default: { name: 'now', args: [] } }))).toBe('@default(now())');
    expect(generatedBy(f({ isUpdatedAt: true }))).toBe('@updatedAt');
    // A uuid default on a non-key field (e.g. a public token) and a literal default stay writable.
    expect(generatedBy(f({ default: { name: 'uuid', args: [] } }))).toBeUndefined();
    expect(generatedBy(f({ isId: true, default: 'fixed' }))).toBeUndefined();
  });
});

describeEachProvider('read-only fields over HTTP, rules enforced (blog)', (provider) => {
  let t: TestApp;
  let scene: BlogScene;
  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    scene = await blogScene(t);
  });
  afterAll(() => t?.close());

  it('the server sets ids and timestamps; a client that sends them is refused before anything is written', async () => {
    const { alice } = scene.users;
    const before = await t.app.db.post.count();
    const attempts = [
      `mutation { createPost(data: { id: 424242, title: "x", slug: "ro-1", authorId: ${alice.id} }) { id } }`,
      `mutation { createPost(data: { title: "x", slug: "ro-2", authorId: ${alice.id}, createdAt: "2000-01-01T00:00:00.000Z" }) { id } }`,
      `mutation { updatePost(where: { id: ${scene.posts.aliceDraft.id} }, data: { updatedAt: "2000-01-01T00:00:00.000Z" }) { id } }`,
      `mutation { updatePost(where: { id: ${scene.posts.aliceDraft.id} }, data: { id: 424242 }) { id } }`,
      `mutation { createManyPosts(data: [{ id: 424242, title: "x", slug: "ro-3", authorId: ${alice.id} }]) { count } }`,
      `mutation { updateUser(where: { id: ${alice.id} }, data: { posts: { create: [{ id: 424242, title: "x", slug: "ro-4" }] } }) { id } }`,
    ];
    for (const mutation of attempts) {
      const error = expectError(await t.gql(mutation, undefined, alice.headers), 'BAD_USER_INPUT');
      expect(error.message, mutation).toMatch(/^Field "(id|createdAt|updatedAt)" is not defined by type "Post\w*Input"\.$/);
    }
    expect(await t.app.db.post.count()).toBe(before);
    const created = expectData(await t.gql(`mutation { createPost(data: { title: "x", slug: "ro-ok", authorId: ${alice.id} }) { id createdAt updatedAt } }`, undefined, alice.headers)).createPost;
    expect(created.id).not.toBe(424242);
    expect(Date.now() - Date.parse(created.createdAt)).toBeLessThan(3_600_000);
  });
});
