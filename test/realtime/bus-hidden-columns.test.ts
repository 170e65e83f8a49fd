import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadGenerated, scalarFields } from '../../src/db/index.ts';
import { decodeMessage, type ChangeEvent } from '../../src/events/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { authEnv, bearer, signUp } from '../support/auth-helpers.ts';
import { sharedRedisUrl } from '../support/redis-server.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

/**
 * Change events leave the process on the bus (Redis): `/// @hidden` columns (User.passwordHash)
 * must not travel with them. Read straight off the Redis channel, as anyone with access to that
 * Redis could; observers inside the process still get the whole row.
 */
describeEachProvider('realtime: change events on the bus carry no @hidden columns', (provider) => {
  let t: TestApp;
  let listener: Redis;
  const raw: string[] = [];
  // Every column of User but the hidden one, as the schema has them.
  let visible: string[];
  const inProcess: ChangeEvent[] = [];
  const prefix = `cairn-hidden-${randomBytes(4).toString('hex')}:`;
  const published = async (kind: ChangeEvent['kind']) => {
    for (;;) {
      const found = raw.map((text) => ({ text, message: decodeMessage(text) as { changes: ChangeEvent[] } })).find((m) => m.message.changes.some((c) => c.kind === kind));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeAll(async () => {
    const { datamodel } = await loadGenerated(fixtures.blog.generated, provider);
    const columns = scalarFields(datamodel.models.find((m) => m.name === 'User')!).map((f) => f.name);
    expect(columns).toContain('passwordHash');
    visible = columns.filter((c) => c !== 'passwordHash').sort();
    listener = new Redis(sharedRedisUrl);
    listener.on('message', (_channel, text: string) => raw.push(text));
    await listener.subscribe(`${prefix}change:User`);
    t = await createTestApp('blog', provider, { ...authEnv, REDIS_URL: sharedRedisUrl, CAIRN_REDIS_PREFIX: prefix }, { observers: [{ models: ['User'], afterCommit: (changes) => void inProcess.push(...changes) }] });
  });
  afterAll(async () => {
    listener?.disconnect();
    await t?.close();
  });

  it('a sign-up and an update publish every column but passwordHash; in-process observers still see it', async () => {
    const user = await signUp(t, 'hidden@example.org');
    const created = await published('created');
    expect(created.text).not.toMatch(/passwordHash|argon2/);
    const [createdChange] = created.message.changes;
    expect(createdChange).toMatchObject({ model: 'User', kind: 'created', key: { id: user.id }, before: null });
    expect(Object.keys(createdChange!.after!).sort()).toEqual(visible);
    expect(createdChange!.after).toMatchObject({ id: user.id, email: 'hidden@example.org', roles: 'user', emailVerified: false, name: null });

    const result = await t.gql('mutation ($id: Int!) { updateUser(where: { id: $id }, data: { name: "Hidden Hilda" }) { id } }', { id: user.id }, bearer(user.token));
    expect(result.errors).toBeUndefined();
    const updated = await published('updated');
    expect(updated.text).not.toMatch(/passwordHash|argon2/);
    const change = updated.message.changes.find((c) => c.kind === 'updated')!;
    for (const image of [change.before!, change.after!]) expect(Object.keys(image).sort()).toEqual(visible);
    expect(change.before).toMatchObject({ name: null });
    expect(change.after).toMatchObject({ name: 'Hidden Hilda', email: 'hidden@example.org' });

    // The write path's own observers (hooks, the webhook outbox) are given the full row.
    expect(inProcess.find((c) => c.kind === 'created')?.after?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(inProcess.find((c) => c.kind === 'updated')?.after?.passwordHash).toMatch(/^\$argon2id\$/);
  });
});
