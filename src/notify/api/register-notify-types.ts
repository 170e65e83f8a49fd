import type { Builder } from '../../schema/index.ts';
import { notificationChannels } from '../notification-types.ts';
import type { NotificationRow } from './notification-inbox.ts';

export interface DeviceTypes {
  deviceInput: unknown;
  device: unknown;
}
export interface InboxTypes {
  notification: unknown;
  filter: unknown;
  connection: unknown;
  counts: unknown;
}
export interface PreferenceTypes {
  channel: unknown;
  preference: unknown;
}

// `data` is stored as JSON text; clients get the value. Text that is not JSON (written by other
// code than Cairn's sender) is passed on as the string it is rather than lost.
const parseData = (data: string | null): unknown => {
  if (data == null) return null;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
};

/** PushPlatform, PushKeysInput, RegisterPushDeviceInput, PushDevice. */
export function registerDeviceTypes(builder: Builder): DeviceTypes {
  const b = builder as any;
  const platform = b.enumType('PushPlatform', {
    description: 'A push service: Web Push (browsers), Firebase Cloud Messaging (Android), Apple Push Notification service (iOS).',
    values: { webpush: { value: 'webpush' }, fcm: { value: 'fcm' }, apns: { value: 'apns' } },
  });

  const keys = b.inputType('PushKeysInput', {
    description: "A Web Push subscription's keys, as `subscription.toJSON().keys` gives them (base64url).",
    fields: (t: any) => ({
      p256dh: t.string({ required: true, description: 'The P-256 public key: base64url of 65 bytes.' }),
      auth: t.string({ required: true, description: 'The authentication secret: base64url of 16 bytes.' }),
    }),
  });
  const deviceInput = b.inputType('RegisterPushDeviceInput', {
    description: 'A browser sends `endpoint` and `keys` of its PushSubscription; a phone sends its FCM or APNs `token`.',
    fields: (t: any) => ({
      platform: t.field({ type: platform, required: true }),
      endpoint: t.string({ description: 'webpush: `subscription.endpoint`, an https URL.' }),
      keys: t.field({ type: keys, description: 'webpush: `subscription.toJSON().keys`.' }),
      token: t.string({ description: 'fcm: the registration token; apns: the device token (hex).' }),
      name: t.string({ description: 'A label for the user, e.g. "Firefox on laptop" (at most 100 characters).' }),
    }),
  });

  const device = b.objectRef('PushDevice').implement({
    description: "One of the signed-in user's devices that receive pushes. It ends with the session that registered it.",
    fields: (t: any) => ({
      id: t.exposeID('id', { description: 'Pass to `unregisterPushDevice`.' }),
      platform: t.field({ type: platform, resolve: (d: { platform: string }) => d.platform }),
      name: t.exposeString('name', { nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      lastSentAt: t.expose('lastSentAt', { type: 'DateTime', nullable: true, description: 'When Cairn last delivered a push to it.' }),
    }),
  });

  return { deviceInput, device };
}

/** Notification, NotificationFilter, NotificationConnection/Edge, NotificationCounts. */
export function registerInboxTypes(builder: Builder): InboxTypes {
  const b = builder as any;
  const notification = b.objectRef('Notification').implement({
    description: "An entry of the signed-in user's in-app inbox.",
    fields: (t: any) => ({
      id: t.exposeID('id'),
      type: t.exposeString('type', { description: 'The notification type the server sent it as (see `notificationPreferences`).' }),
      title: t.exposeString('title', { nullable: true }),
      body: t.exposeString('body', { nullable: true }),
      data: t.field({ type: 'JSON', nullable: true, description: 'What the sender attached (an object of strings).', resolve: (n: NotificationRow) => parseData(n.data) }),
      url: t.exposeString('url', { nullable: true, description: 'Where tapping it should lead.' }),
      seenAt: t.expose('seenAt', { type: 'DateTime', nullable: true, description: 'When it was first shown (`markNotificationsSeen`).' }),
      readAt: t.expose('readAt', { type: 'DateTime', nullable: true, description: 'When it was opened (`markNotificationsRead`).' }),
      archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });
  const filter = b.inputType('NotificationFilter', {
    description: 'Narrows the inbox; every field left out matches everything, except `archived`, which defaults to false.',
    fields: (t: any) => ({
      read: t.boolean(),
      seen: t.boolean(),
      archived: t.boolean({ description: 'true: the archive; false (the default): the inbox.' }),
      type: t.string(),
    }),
  });
  const edge = b.objectRef('NotificationEdge').implement({
    fields: (t: any) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: notification, resolve: (e: { node: NotificationRow }) => e.node }) }),
  });
  const connection = b.objectRef('NotificationConnection').implement({
    description: 'Relay connection over the inbox, newest first.',
    fields: (t: any) => ({
      edges: t.field({ type: [edge], resolve: (c: { edges: unknown[] }) => c.edges }),
      pageInfo: t.field({ type: b.pageInfoRef(), resolve: (c: { pageInfo: unknown }) => c.pageInfo }),
      totalCount: t.int({ description: 'Notifications matching `where`, on every page.', resolve: (c: { totalCount: () => Promise<number> }) => c.totalCount() }),
    }),
  });
  const counts = b.objectRef('NotificationCounts').implement({
    description: 'Badge numbers of the inbox (archived notifications are not counted).',
    fields: (t: any) => ({ unseen: t.exposeInt('unseen'), unread: t.exposeInt('unread'), total: t.exposeInt('total') }),
  });
  return { notification, filter, connection, counts };
}

/** NotificationChannel, NotificationPreference. */
export function registerPreferenceTypes(builder: Builder): PreferenceTypes {
  const b = builder as any;
  const channel = b.enumType('NotificationChannel', {
    description: 'Where a notification goes: the in-app inbox, the push devices, e-mail.',
    values: Object.fromEntries(notificationChannels.map((c) => [c, { value: c }])),
  });
  const preference = b.objectRef('NotificationPreference').implement({
    description: "The signed-in user's choice for one notification type on one channel.",
    fields: (t: any) => ({
      type: t.exposeString('type'),
      channel: t.field({ type: channel, resolve: (p: { channel: string }) => p.channel }),
      enabled: t.exposeBoolean('enabled', { description: 'Whether this type reaches the user on this channel (their choice, else the default).' }),
      critical: t.exposeBoolean('critical', { description: 'Critical types cannot be turned off.' }),
      description: t.exposeString('description', { nullable: true }),
    }),
  });
  return { channel, preference };
}
