import type { Provider } from '../../src/db/index.ts';
import type { CairnFunctions } from '../../src/extend/index.ts';
import { jobId } from '../../src/jobs/index.ts';
import { derivedId, notificationIdFor, notificationJobs } from '../../src/notify/index.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { createTestApp, testViewerHeader, type TestApp, type TestAppOptions } from '../support/test-app.ts';
import type { PushServices } from './push-services.ts';

export interface NotifyApp extends TestApp {
  logged: unknown[];
  warned: string[];
  /** Inserts a user straight through the raw client. */
  user(email: string, roles?: string): Promise<number>;
  /** Inserts a push device for `userId` straight through the raw client. */
  device(userId: number, platform: 'webpush' | 'fcm' | 'apns', address: string, keys?: string): Promise<string>;
  /** Resolves once every page of the delivery with `key` ran (its push and e-mail jobs are enqueued by then). */
  fannedOut(key: string, pages?: number): Promise<void>;
  /** The push job (attempt `attempt`) for one user's device, or null when none was enqueued. */
  pushJob(userId: number, key: string, deviceId: string, attempt?: number): ReturnType<NonNullable<TestApp['app']['jobs']>['get']>;
  as(viewer: { id: number; roles?: string[] }): Record<string, string>;
}

/**
 * The example schema on the production factory with `functions`, push configured for the fake
 * services from the environment (as production reads it), small pages and short retry delays,
 * workers started.
 */
export async function createNotifyApp(provider: Provider, services: PushServices, functions: CairnFunctions | undefined, env: Record<string, string> = {}, { workers = true, viewerHeader = true } = {}): Promise<NotifyApp> {
  Object.assign(process.env, services.env, { CAIRN_PUSH_RETRY_DELAY_MS: '100', CAIRN_PUSH_TIMEOUT_MS: '700', CAIRN_NOTIFY_PAGE_SIZE: '2', CAIRN_PUSH_MAX_ATTEMPTS: '4' });
  const logged: unknown[] = [];
  const warned: string[] = [];
  const t = await createTestApp('blog', provider, { CAIRN_JOBS_POLL_MS: '50', ...env }, {
    viewerHeader,
    ...(functions && { functions }),
    logError: (error: unknown) => logged.push(error),
    warn: (message: string) => warned.push(message),
  } as TestAppOptions);
  if (workers) await t.app.startWorkers();
  const raw = t.app.db as any;
  let devices = 0;
  const jobs = () => t.app.jobs!;
  return Object.assign(t, {
    logged,
    warned,
    async user(email: string, roles = 'user') {
      return (await raw.user.create({ data: { email, roles }, select: { id: true } })).id as number;
    },
    async device(userId: number, platform: 'webpush' | 'fcm' | 'apns', address: string, keys?: string) {
      const id = `dev-${++devices}-${platform}`;
      await raw.pushDevice.create({ data: { id, userId, platform, address, keys: keys ?? null } });
      return id;
    },
    async fannedOut(key: string, pages = 1) {
      const id = derivedId('notify', key);
      for (let page = 0; page < pages; page++) {
        const job = jobId(notificationJobs.fanOut, page === 0 ? `k:${key}` : `p:${id}:${page}`);
        await eventually(async () => (await jobs().get(notificationJobs.fanOut, job))?.state === 'completed');
      }
    },
    pushJob(userId: number, key: string, deviceId: string, attempt = 1) {
      const nid = notificationIdFor(userId, key);
      return jobs().get(notificationJobs.push, jobId(notificationJobs.push, attempt === 1 ? `${nid}:${deviceId}` : `${nid}:${deviceId}:${attempt}`));
    },
    as: (viewer: { id: number; roles?: string[] }) => ({ [testViewerHeader]: JSON.stringify({ roles: ['user'], ...viewer }) }),
  });
}
