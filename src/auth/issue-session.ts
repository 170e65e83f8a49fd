import type { Viewer } from '../schema/index.ts';
import type { AuthDeps } from './auth-deps.ts';
import { clientAddress } from './client-address.ts';
import { requestAuthState } from './request-auth-state.ts';
import { setSessionCookie } from './session-cookie.ts';

/** What signUp, signIn and OAuth hand out: the token (shown once) and when it lapses unused. */
export interface IssuedSession {
  token: string;
  expiresAt: Date;
  /** Who the session is for; the payload's `user` is read as them. */
  viewer: Viewer;
}

/**
 * Starts a session for `userId` and sets its cookie. Against session fixation, a session the
 * request already carried is ended, never reused or upgraded: every sign-in gets a new token.
 */
export async function issueSession(deps: AuthDeps, request: Request, viewer: Viewer): Promise<IssuedSession> {
  const state = requestAuthState(request);
  if (state.credential?.kind === 'session') await deps.sessions.invalidate(state.credential.sessionId);
  const { token, session } = await deps.sessions.create(viewer.id, {
    userAgent: request.headers.get('user-agent'),
    ip: clientAddress(request, deps.settings.trustProxy) ?? null,
  });
  state.credential = { kind: 'session', sessionId: session.id, via: 'cookie' };
  setSessionCookie(request, token, session.expiresAt, deps.settings.secureCookies);
  return { token, expiresAt: session.expiresAt, viewer };
}
