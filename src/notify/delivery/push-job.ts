import type { DbClient } from '../../db/index.ts';
import type { PushPlatform, PushTarget } from '../push-provider.ts';
import type { PushSender } from '../push-config.ts';
import type { PushJobPayload } from './deliver-page.ts';

export interface PushJobDeps {
  db: DbClient;
  /** Records a successful send (`lastSentAt`), batched: see createSentRecorder. */
  sent(deviceId: string): void;
  sender: () => PushSender;
  /** Enqueues the next attempt at `runAt` (a new job, so the push service's Retry-After sets the time). */
  retry(payload: PushJobPayload, runAt: Date, key: string): Promise<unknown>;
  /** Attempts in all before a retryable failure gives up. @default 6 */
  maxAttempts: number;
  /** First retry delay; each next one doubles (capped at an hour), unless Retry-After asks for later. @default 2000 */
  retryDelayMs: number;
  logError(error: unknown): void;
  warn(message: string): void;
}

/** The variables an operator fixes when a service rejects Cairn's own credentials. */
export const credentialVariables: Record<PushPlatform, string> = {
  webpush: 'CAIRN_VAPID_PUBLIC_KEY / CAIRN_VAPID_PRIVATE_KEY / CAIRN_VAPID_SUBJECT',
  fcm: 'CAIRN_FCM_SERVICE_ACCOUNT (or CAIRN_FCM_SERVICE_ACCOUNT_FILE)',
  apns: 'CAIRN_APNS_KEY / CAIRN_APNS_KEY_ID / CAIRN_APNS_TEAM_ID / CAIRN_APNS_TOPIC',
};

/** The outcome of one push job (returned, so tests read it). */
export type PushOutcome = 'sent' | 'gone' | 'removed' | 'retrying' | 'gave-up' | 'credentials' | 'rejected';

function targetOf(device: { platform: string; address: string; keys: string | null }): PushTarget | string {
  if (device.platform === 'fcm' || device.platform === 'apns') return { platform: device.platform, token: device.address };
  if (device.platform !== 'webpush') return `unknown platform "${device.platform}"`;
  try {
    const keys = JSON.parse(device.keys ?? 'null') as { p256dh?: unknown; auth?: unknown } | null;
    if (typeof keys?.p256dh !== 'string' || typeof keys.auth !== 'string') return 'keys must hold p256dh and auth';
    return { platform: 'webpush', endpoint: device.address, keys: { p256dh: keys.p256dh, auth: keys.auth } };
  } catch {
    return 'keys are not JSON';
  }
}

/**
 * One message to one device, with the push service's answer acted on: dead devices are deleted,
 * transient failures retried later (Retry-After respected), Cairn's own bad credentials logged
 * with the variable to fix and not retried, rejected messages dropped.
 */
export async function runPushJob(deps: PushJobDeps, payload: PushJobPayload): Promise<PushOutcome> {
  const raw = deps.db as any;
  const device = await raw.pushDevice.findUnique({ where: { id: payload.deviceId }, select: { id: true, platform: true, address: true, keys: true } });
  // Unregistered (or removed as dead) since the fan-out: nothing to send to.
  if (!device) return 'gone';
  const target = targetOf(device);
  if (typeof target === 'string') {
    await raw.pushDevice.deleteMany({ where: { id: device.id } });
    deps.warn(`push: removed device ${device.id}: ${target}`);
    return 'removed';
  }
  const result = await deps.sender().send(target, payload.message);
  switch (result.status) {
    case 'sent':
      deps.sent(device.id);
      return 'sent';
    case 'dead':
      await raw.pushDevice.deleteMany({ where: { id: device.id } });
      return 'removed';
    case 'retry': {
      if (payload.attempt >= deps.maxAttempts) {
        deps.warn(`push: gave up on device ${device.id} after ${payload.attempt} attempts: ${result.reason}`);
        return 'gave-up';
      }
      const backoff = Math.min(deps.retryDelayMs * 2 ** (payload.attempt - 1), 3_600_000);
      const delay = Math.max(backoff, (result.retryAfterSeconds ?? 0) * 1000);
      const next = { ...payload, attempt: payload.attempt + 1 };
      await deps.retry(next, new Date(Date.now() + delay), `${payload.notificationId}:${payload.deviceId}:${next.attempt}`);
      return 'retrying';
    }
    case 'credentials':
      deps.logError(new Error(`push: the ${target.platform} service rejected Cairn's credentials (${result.reason}); check ${credentialVariables[target.platform]}. Notification ${payload.notificationId} was not pushed to device ${device.id}.`));
      return 'credentials';
    case 'rejected':
      deps.warn(`push: ${target.platform} refused notification ${payload.notificationId} for device ${device.id}: ${result.reason}`);
      return 'rejected';
  }
}

/**
 * `lastSentAt` is bookkeeping, not delivery state: sends are recorded in memory and written in one
 * statement per flush (a crash loses at most the last flush interval's timestamps, never a send).
 */
export function createSentRecorder(db: DbClient, logError: (error: unknown) => void, flushMs = 250) {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    if (!pending.size) return;
    const ids = [...pending];
    pending = new Set();
    await (db as any).pushDevice.updateMany({ where: { id: { in: ids } }, data: { lastSentAt: new Date() } }).catch(logError);
  };
  return {
    sent(deviceId: string) {
      pending.add(deviceId);
      timer ??= setTimeout(() => void flush(), flushMs);
    },
    flush,
  };
}
