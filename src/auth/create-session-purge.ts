import type { DbClient } from '../db/index.ts';
import type { OneTimeKind } from './one-time-tokens.ts';

export interface SessionPurgeOptions {
  /** The trusted client (Session and AuthToken are `@@changes(false)`: plain deletes, no capture reads). */
  db: DbClient;
  /** Average time between two runs on one instance; each wait is jittered ±50%. 0 turns the purge off. */
  everyMs: number;
  /** Auth's clock: what "expired" means here is what it means to sign-in. @default () => new Date() */
  now?: () => Date;
  /** Rows one DELETE removes: short writes, so SQLite's lock is never held long. @default 500 */
  batchSize?: number;
  /** Batches per model and run at most; the rest waits for the next run. @default 20 */
  maxBatches?: number;
  logError?: (error: unknown) => void;
  /** The jitter's randomness (tests). @default Math.random */
  random?: () => number;
}

export interface SessionPurge {
  /** One purge now; resolves with what it deleted. */
  run(): Promise<{ sessions: number; tokens: number }>;
  /** Arms the timer (idempotent; nothing when `everyMs` is 0). */
  start(): void;
  /** Disarms it and waits for a run in progress (before the database closes). */
  stop(): Promise<void>;
}

// API tokens expire too, but they stay listed (myApiTokens) until their owner deletes them.
const oneTimeKinds: readonly OneTimeKind[] = ['password_reset', 'email_verification', 'email_change'];

/**
 * Expired sessions are otherwise deleted only when next presented (or at the owner's next
 * sign-in), so a session never used again would stay for good, and with it the push devices it
 * registered (PushDevice.session is onDelete: Cascade: the database deletes them with it). Every
 * instance runs this: the deletes are idempotent, and the jitter spreads instances apart.
 */
export function createSessionPurge(options: SessionPurgeOptions): SessionPurge {
  const { db, everyMs, now = () => new Date(), batchSize = 500, maxBatches = 20, logError = console.error, random = Math.random } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let armed = false;

  /** Deletes in batches of ids (Prisma's deleteMany takes no limit); the expiry is tested again on the delete. */
  async function purge(find: (take: number) => Promise<{ id: string }[]>, remove: (ids: string[]) => Promise<{ count: number }>): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const found = await find(batchSize);
      if (found.length) total += (await remove(found.map((row) => row.id))).count;
      if (found.length < batchSize) break;
    }
    return total;
  }

  async function run() {
    const at = now();
    const expiredSession = { expiresAt: { lte: at } };
    const expiredToken = { kind: { in: [...oneTimeKinds] }, expiresAt: { lte: at } };
    const sessions = await purge(
      (take) => db.session.findMany({ where: expiredSession, select: { id: true }, take }),
      (ids) => db.session.deleteMany({ where: { id: { in: ids }, ...expiredSession } }),
    );
    const tokens = await purge(
      (take) => db.authToken.findMany({ where: expiredToken, select: { id: true }, take }),
      (ids) => db.authToken.deleteMany({ where: { id: { in: ids }, ...expiredToken } }),
    );
    return { sessions, tokens };
  }

  const arm = () => {
    if (!armed) return;
    timer = setTimeout(() => {
      running = run()
        .catch(logError)
        .finally(() => {
          running = undefined;
          arm();
        });
    }, everyMs * (0.5 + random()));
    // A pending purge never keeps a process alive (CLI commands, tests that forget stop).
    timer.unref();
  };

  return {
    run,
    start() {
      if (armed || everyMs <= 0) return;
      armed = true;
      arm();
    },
    async stop() {
      armed = false;
      clearTimeout(timer);
      await running;
    },
  };
}
