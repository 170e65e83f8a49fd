import type { DbClient } from '../db/index.ts';
import type { Context, Viewer } from '../schema/index.ts';

export interface ContextDeps {
  db: DbClient;
  /** Finds the viewer for a request's credentials (session cookie, bearer token); none by default. */
  resolveViewer?: (request: Request, connectionParams?: Record<string, unknown>) => Promise<Viewer | null>;
}

/**
 * The one place a request context is built. HTTP passes the request; WebSocket passes the upgrade
 * request and the connection params, so both transports authenticate and scope data alike.
 */
export function createContextFactory({ db, resolveViewer }: ContextDeps) {
  return async (request: Request, connectionParams?: Record<string, unknown>): Promise<Context> => ({
    db,
    viewer: resolveViewer ? await resolveViewer(request, connectionParams) : null,
    request,
  });
}
