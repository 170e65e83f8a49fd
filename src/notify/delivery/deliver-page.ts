import type { DbClient } from '../../db/index.ts';
import { channelsFor, type NotificationChannel, type NotificationType, type PreferenceRow } from '../notification-types.ts';
import type { PushMessage } from '../push-provider.ts';
import { derivedId, type FanOutPayload } from './notify-input.ts';

type UserId = string | number;

/** The push job's payload: one message for one device. */
export interface PushJobPayload {
  /** The inbox row's id (derived from user and key, whether or not the user gets an inbox row). */
  notificationId: string;
  deviceId: string;
  type: string;
  message: PushMessage;
  /** Our own attempt count (retries are new jobs, so Retry-After can set their time). */
  attempt: number;
}

export interface EmailJobPayload {
  notificationId: string;
  userId: UserId;
  type: string;
  title?: string;
  body?: string;
  url?: string;
}

export interface PageDeps {
  /** The raw client: reads, and enqueueing inside a transaction of its own. */
  db: DbClient;
  /** The trusted capturing client (`access.sudo`): inbox rows are written through it, so their change events fire. */
  trusted: () => DbClient;
  models: { inbox: boolean; devices: boolean; preferences: boolean };
  enqueue(name: string, payload: unknown, options: { key: string; db: unknown }): Promise<string | null>;
  jobNames: { push: string; email: string };
  /** Those of the users online now (realtime presence); `push: 'offline'` skips their devices. Absent: nobody is. */
  online?: (userIds: readonly UserId[]) => Promise<Set<UserId>>;
}

/** What one page delivered (tests and the benchmark read it from the job's log). */
export interface PageResult {
  users: number;
  inbox: number;
  push: number;
  email: number;
  /** Users whose push was skipped because they were online (`push: 'offline'`). */
  online: number;
}

/** The inbox row id of `key` for `userId`: a re-run of the page finds the row it wrote before. */
export const notificationIdFor = (userId: UserId, key: string) => derivedId('notification', userId, key);

/**
 * Delivers one page of an audience, idempotently (a re-run after a crash doubles nothing): the
 * users' preferences decide the channels; inbox rows missing for this key are created in one
 * statement; one push job per device and one e-mail job per user are enqueued with keys derived
 * from the notification, in one transaction.
 */
export async function deliverPage(deps: PageDeps, payload: FanOutPayload, type: NotificationType, users: readonly UserId[]): Promise<PageResult> {
  const { db } = deps;
  const raw = db as any;
  const preferences: PreferenceRow[] = deps.models.preferences && !type.critical ? await raw.notificationPreference.findMany({ where: { userId: { in: users }, type: type.name } }) : [];
  const byUser = new Map<UserId, PreferenceRow[]>();
  for (const row of preferences) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
  const on = (channel: NotificationChannel) => users.filter((u) => channelsFor(type, byUser.get(u) ?? [], payload.channels).includes(channel));

  let inbox = 0;
  const inApp = deps.models.inbox ? on('inApp') : [];
  if (inApp.length) {
    const ids = inApp.map((u) => notificationIdFor(u, payload.key));
    const existing = new Set((await raw.notification.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((r: { id: string }) => r.id));
    const data = inApp
      .map((userId, i) => ({ id: ids[i]!, userId, type: type.name, title: payload.title ?? null, body: payload.body ?? null, data: payload.data ? JSON.stringify(payload.data) : null, url: payload.url ?? null, key: payload.key }))
      .filter((row) => !existing.has(row.id));
    if (data.length) await (deps.trusted() as any).notification.createMany({ data });
    inbox = data.length;
  }

  let pushUsers = deps.models.devices ? on('push') : [];
  // Asked as the page is delivered, after the inbox rows: a user who is online sees the entry arrive
  // (notificationAdded); one who went offline since the call still gets the push.
  let online = 0;
  if (payload.push === 'offline' && deps.online && pushUsers.length) {
    const present = await deps.online(pushUsers);
    online = pushUsers.filter((u) => present.has(u)).length;
    pushUsers = pushUsers.filter((u) => !present.has(u));
  }
  const devices: { id: string; userId: UserId }[] = pushUsers.length ? await raw.pushDevice.findMany({ where: { userId: { in: pushUsers } }, select: { id: true, userId: true } }) : [];
  const emailUsers = on('email');
  const message: PushMessage = {
    ...(payload.title !== undefined && { title: payload.title }),
    ...(payload.body !== undefined && { body: payload.body }),
    ...(payload.url !== undefined && { url: payload.url }),
    data: { ...payload.data, type: type.name },
  };
  let push = 0;
  let email = 0;
  if (devices.length || emailUsers.length) {
    await (db as any).$transaction(async (tx: unknown) => {
      for (const device of devices) {
        const notificationId = notificationIdFor(device.userId, payload.key);
        // The device replaces a repeat of the same notification (Topic / collapse_key / apns-collapse-id).
        const job: PushJobPayload = { notificationId, deviceId: device.id, type: type.name, message: { ...message, collapseKey: notificationId.replace(/-/g, '').slice(0, 24), data: { ...message.data, notificationId } }, attempt: 1 };
        if (await deps.enqueue(deps.jobNames.push, job, { key: `${notificationId}:${device.id}`, db: tx })) push++;
      }
      for (const userId of emailUsers) {
        const notificationId = notificationIdFor(userId, payload.key);
        const job: EmailJobPayload = { notificationId, userId, type: type.name, title: payload.title, body: payload.body, url: payload.url };
        if (await deps.enqueue(deps.jobNames.email, job, { key: `${notificationId}:email`, db: tx })) email++;
      }
    }, { timeout: 60_000 });
  }
  return { users: users.length, inbox, push, email, online };
}
