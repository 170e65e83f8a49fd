import { forbidden, unauthenticated } from '../errors.ts';
import type { Context, Viewer } from '../schema/index.ts';
import { requestAuthState } from './request-auth-state.ts';

/** The viewer, or UNAUTHENTICATED naming the operation that needed one. */
export function requireViewer(ctx: Context, operation: string): Viewer {
  if (!ctx.viewer) throw unauthenticated(`${operation} needs a signed-in user`);
  return ctx.viewer;
}

/**
 * The viewer's session id, for operations that manage credentials (changePassword, changeEmail,
 * createApiToken, apiTokens, revokeApiToken, mySessions, revokeSession, signOutEverywhere): a
 * personal API token acts for its user in the app's API but cannot see or change how the account
 * signs in, so a leaked token can neither outlive a password change nor lock the owner out.
 */
export function requireSession(ctx: Context, operation: string): { viewer: Viewer; sessionId: string } {
  const viewer = requireViewer(ctx, operation);
  const credential = requestAuthState(ctx.request).credential;
  if (credential?.kind !== 'session') throw forbidden(`${operation} needs a session; API tokens cannot manage credentials`);
  return { viewer, sessionId: credential.sessionId };
}

export function requireRole(ctx: Context, role: string, operation: string): Viewer {
  const viewer = requireViewer(ctx, operation);
  if (!viewer.roles.includes(role)) throw forbidden(`${operation} needs the ${role} role`);
  return viewer;
}

/** The session the request authenticated with, if any (signOut, `current` in mySessions). */
export function currentSessionId(ctx: Context): string | undefined {
  const credential = requestAuthState(ctx.request).credential;
  return credential?.kind === 'session' ? credential.sessionId : undefined;
}
