import { afterAll, beforeAll, expect, it } from 'vitest';
import { refused } from '../support/auth-helpers.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';
import { channelsFor, resolveNotificationTypes } from '../../src/notify/index.ts';
import inboxFunctions from './fixtures/inbox-functions.ts';
import { createInboxApp, user, type User } from './inbox-app.ts';

const list = '{ notificationPreferences { type channel enabled critical description } }';
const set = `mutation ($type: String!, $channel: NotificationChannel!, $enabled: Boolean!) {
  setNotificationPreference(type: $type, channel: $channel, enabled: $enabled) { type channel enabled critical }
}`;

describeEachProvider('notification preferences', (provider) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    t = await createInboxApp(provider);
    alice = await user(t, 'alice@prefs.test');
    bob = await user(t, 'bob@prefs.test');
  });
  afterAll(() => t?.close());
  const rows = () => t.app.db.notificationPreference.findMany({ orderBy: [{ userId: 'asc' }, { type: 'asc' }, { channel: 'asc' }] });

  it('lists every declared type on each of its channels with the defaults', async () => {
    const result = await t.gql(list, {}, alice.headers);
    expect(result.errors).toBeUndefined();
    expect(result.data.notificationPreferences).toEqual([
      { type: 'comment', channel: 'inApp', enabled: true, critical: false, description: 'Someone commented on your post' },
      { type: 'comment', channel: 'push', enabled: true, critical: false, description: 'Someone commented on your post' },
      { type: 'securityAlert', channel: 'inApp', enabled: true, critical: true, description: 'A new sign-in to your account' },
      { type: 'securityAlert', channel: 'email', enabled: true, critical: true, description: 'A new sign-in to your account' },
      { type: 'digest', channel: 'email', enabled: true, critical: false, description: null },
    ]);
  });

  it("stores one user's choice, which the sender's channelsFor reads the same way", async () => {
    const off = await t.gql(set, { type: 'comment', channel: 'push', enabled: false }, alice.headers);
    expect(off.data.setNotificationPreference).toEqual({ type: 'comment', channel: 'push', enabled: false, critical: false });
    await t.gql(set, { type: 'digest', channel: 'email', enabled: false }, alice.headers);
    await t.gql(set, { type: 'digest', channel: 'email', enabled: true }, alice.headers);
    expect(await rows()).toEqual([
      { userId: alice.id, type: 'comment', channel: 'push', enabled: false },
      { userId: alice.id, type: 'digest', channel: 'email', enabled: true },
    ]);
    const listed = (await t.gql(list, {}, alice.headers)).data.notificationPreferences;
    expect(listed.find((p: any) => p.type === 'comment' && p.channel === 'push').enabled).toBe(false);
    const comment = resolveNotificationTypes(inboxFunctions.notifications).get('comment')!;
    expect(channelsFor(comment, await rows())).toEqual(['inApp']);
    // Bob's defaults are untouched.
    expect((await t.gql(list, {}, bob.headers)).data.notificationPreferences.every((p: any) => p.enabled)).toBe(true);
  });

  it('refuses turning a critical type off, an undeclared type and a channel the type is not sent on; writes nothing', async () => {
    const before = await rows();
    const critical = refused(await t.gql(set, { type: 'securityAlert', channel: 'email', enabled: false }, alice.headers), 'BAD_USER_INPUT');
    expect(critical.message).toMatch(/"securityAlert" is critical and cannot be turned off/);
    expect(critical.extensions).toMatchObject({ argument: 'enabled', critical: true });
    // Turning a critical type on is a no-op that answers its (always on) state.
    expect((await t.gql(set, { type: 'securityAlert', channel: 'email', enabled: true }, alice.headers)).data.setNotificationPreference.enabled).toBe(true);
    expect(refused(await t.gql(set, { type: 'nope', channel: 'push', enabled: false }, alice.headers), 'BAD_USER_INPUT').extensions.argument).toBe('type');
    expect(refused(await t.gql(set, { type: 'digest', channel: 'push', enabled: true }, alice.headers), 'BAD_USER_INPUT').extensions.argument).toBe('channel');
    refused(await t.gql(set, { type: 'comment', channel: 'sms', enabled: false }, alice.headers), 'BAD_USER_INPUT');
    refused(await t.gql(set, { type: 'comment', channel: 'push', enabled: false }), 'UNAUTHENTICATED');
    refused(await t.gql(list), 'UNAUTHENTICATED');
    expect(await rows()).toEqual(before);
  });
});
