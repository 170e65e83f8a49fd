import type { DbClient } from '../db/index.ts';

/**
 * What every resolver receives. Built in one place (src/http/create-context.ts) for HTTP and
 * WebSocket alike; request-scoped state hangs off this object, never off module globals.
 */
export interface Context {
  /** The Prisma client every read and write of this request goes through. */
  db: DbClient;
}
