import { trustedClient, type AccessPolicy } from '../access/index.ts';
import type { DbClient } from '../db/index.ts';
import type { Jobs } from '../jobs/index.ts';
import type { Notify } from '../notify/index.ts';
import type { Context, Viewer } from '../schema/index.ts';
import { resolveRunAs, type RunAs } from './resolve-run-as.ts';

export interface ContextDeps {
  db: DbClient;
  /**
   * The access rules `ctx.db` enforces for the viewer. `'trusted'` serves the raw client to every
   * request — only for tests of the generator itself, never for an app.
   */
  access: AccessPolicy | 'trusted';
  /** Finds the viewer for a request's credentials (session cookie, bearer token); none by default. */
  resolveViewer?: (request: Request, connectionParams?: Record<string, unknown>) => Promise<Viewer | null>;
  /** Lets admins act as another user with the `x-cairn-run-as` header; off when omitted. */
  runAs?: RunAs;
  /** `ctx.jobs`, the app's job queue. */
  jobs: Jobs;
  /** `ctx.notify`. */
  notify: Notify;
}

/**
 * The one place a request context is built. HTTP passes the request; WebSocket passes the upgrade
 * request and the connection params, so both transports authenticate and scope data alike.
 */
export function createContextFactory({ db, access, resolveViewer, runAs, jobs, notify }: ContextDeps) {
  return async (request: Request, connectionParams?: Record<string, unknown>): Promise<Context> => {
    const signedIn = resolveViewer ? await resolveViewer(request, connectionParams) : null;
    const viewer = await resolveRunAs(runAs, signedIn, request, connectionParams);
    return {
      db: access === 'trusted' ? trustedClient(db, viewer) : access.clientFor(db, viewer),
      viewer,
      request,
      jobs,
      notify,
    };
  };
}
