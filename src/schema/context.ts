import type { DbClient } from '../db/index.ts';

/** Who is making the request, as access rules and custom code see it. */
export interface Viewer {
  id: string | number;
  roles: string[];
}

/**
 * What every resolver receives. Built in one place (src/http/create-context.ts) for HTTP and
 * WebSocket alike; request-scoped state hangs off this object, never off module globals.
 */
export interface Context {
  /** The Prisma client every read and write of this request goes through. */
  db: DbClient;
  /** The signed-in user, or null. */
  viewer: Viewer | null;
  /** The HTTP request (the upgrade request for WebSocket operations). */
  request: Request;
}
