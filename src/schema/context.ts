import type { AccessClient, Viewer } from '../access/index.ts';
import type { Jobs } from '../jobs/index.ts';
import type { Notify } from '../notify/index.ts';

export type { Viewer };

/**
 * What every resolver receives. Built in one place (src/http/create-context.ts) for HTTP and
 * WebSocket alike; request-scoped state hangs off this object, never off module globals.
 */
export interface Context {
  /**
   * The Prisma client every read and write of this request goes through, enforcing the access
   * rules for `viewer`. `ctx.db.sudo()` is the raw client, for trusted server code only.
   */
  db: AccessClient;
  /** The signed-in user (or, with `x-cairn-run-as`, the user an admin acts as), or null. */
  viewer: Viewer | null;
  /** The HTTP request (the upgrade request for WebSocket operations). */
  request: Request;
  /** The job queue: `ctx.jobs.enqueue(name, payload, { runAt, key, retries })` (src/jobs). */
  jobs: Jobs;
  /** Sends a notification (in-app, push, e-mail) through the job queue: `ctx.notify({ to, type, title, … })` (src/notify). */
  notify: Notify;
}
