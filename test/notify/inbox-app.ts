import { createECDH, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Provider } from '../../src/db/index.ts';
import { createPushSender, generateVapidKeys } from '../../src/notify/index.ts';
import { authEnv, bearer, signUp } from '../support/auth-helpers.ts';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app.ts';

export const inboxFunctions = fileURLToPath(new URL('./fixtures/inbox-functions.ts', import.meta.url));

const vapid = generateVapidKeys();
const apnsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** Web Push and APNs configured, FCM not: registering an FCM token is refused. (These suites send no push.) */
const pushSender = () =>
  createPushSender({
    webpush: { vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, subject: 'mailto:ops@cairn.test' },
    apns: { key: apnsKey, keyId: 'KEYID12345', teamId: 'TEAMID1234', topic: 'com.example.blog' },
  });

/** The blog fixture with its rules, auth, the notification types above and push configured. */
export async function createInboxApp(provider: Provider, env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const push = pushSender();
  const t = await createTestApp('blog', provider, { ...authEnv, CAIRN_FUNCTIONS: inboxFunctions, ...env }, { push, ...options });
  return {
    ...t,
    async close() {
      await t.close();
      await push.close();
    },
  };
}

/** A browser's PushSubscription: a push-service URL and a real P-256 key pair's public half. */
export function webPushSubscription(endpoint = `https://push.example.com/wpush/v2/${randomBytes(12).toString('base64url')}`) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

export const registerDevice = `mutation ($input: RegisterPushDeviceInput!) { registerPushDevice(input: $input) { id platform name createdAt lastSentAt } }`;

/** A signed-up user and the headers that act as them. */
export async function user(t: TestApp, email: string) {
  const { token, id } = await signUp(t, email);
  return { id, token, headers: bearer(token) };
}
export type User = Awaited<ReturnType<typeof user>>;

let clock = Date.parse('2026-03-01T12:00:00.000Z');
/** Inbox rows as the sender writes them (through the app's trusted client); each gets a later createdAt unless given. */
export async function insertNotifications(t: TestApp, rows: Record<string, unknown>[]): Promise<string[]> {
  const full = rows.map((row) => ({ id: randomUUID(), type: 'comment', createdAt: new Date((clock += 1000)).toISOString(), ...row }));
  const response = await t.fetch('/test/notifications', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(full) });
  expect(response.status, await response.clone().text()).toBe(200);
  return full.map((row) => row.id as string);
}

/** Every Notification row, to assert a refused call wrote nothing. */
export const notificationRows = (t: TestApp) =>
  t.app.db.notification.findMany({ select: { id: true, userId: true, seenAt: true, readAt: true, archivedAt: true }, orderBy: { id: 'asc' } });
