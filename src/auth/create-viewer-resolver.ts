import type { Viewer } from '../schema/index.ts';
import type { ApiTokens } from './api-tokens.ts';
import type { AuthDeps } from './auth-deps.ts';
import { apiTokenPrefix } from './random-token.ts';
import { requestAuthState } from './request-auth-state.ts';
import { assertCookieOrigin } from './request-origin.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.ts';

/** Longer than any token Cairn issues; anything longer is not looked at. */
const maxTokenLength = 128;

/**
 * Finds the viewer of an HTTP request (bearer token, else session cookie) or a WebSocket
 * operation (token in the connection params, else the upgrade request's cookie). A token that
 * is malformed, unknown, revoked or expired means "signed out" (`me: null`), never an error;
 * a cookie from an untrusted Origin is FORBIDDEN (CSRF).
 */
export function createViewerResolver(deps: AuthDeps, apiTokens: ApiTokens) {
  const { sessions, settings } = deps;

  async function viaToken(request: Request, token: string, via: 'cookie' | 'bearer' | 'connection-params'): Promise<Viewer | null> {
    const state = requestAuthState(request);
    if (token.length > maxTokenLength) return null;
    if (token.startsWith(apiTokenPrefix)) {
      const user = via === 'cookie' ? null : await apiTokens.validate(token);
      if (user) state.credential = { kind: 'api-token', tokenId: user.tokenId };
      return user && { id: user.id, roles: user.roles };
    }
    const valid = await sessions.validate(token);
    if (!valid) return null;
    state.credential = { kind: 'session', sessionId: valid.session.id, via };
    // Sliding renewal reaches the browser as a cookie with the new expiry.
    if (valid.renewed && via === 'cookie') setSessionCookie(request, token, valid.session.expiresAt, settings.secureCookies);
    return { id: valid.user.id, roles: valid.user.roles };
  }

  return async function resolveViewer(request: Request, connectionParams?: Record<string, unknown>): Promise<Viewer | null> {
    const presented = connectionParams ? paramsToken(connectionParams) : bearerToken(request);
    if (presented !== undefined) return viaToken(request, presented, connectionParams ? 'connection-params' : 'bearer');
    const cookie = readSessionCookie(request);
    if (!cookie) return null;
    assertCookieOrigin(request, settings.trustedOrigins);
    const viewer = await viaToken(request, cookie, 'cookie');
    if (!viewer && !connectionParams) clearSessionCookie(request, settings.secureCookies);
    return viewer;
  };
}

function bearerToken(request: Request): string | undefined {
  return parseAuthorization(request.headers.get('authorization'));
}

const parseAuthorization = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  // A malformed header still counts as presented: it must not fall back to the cookie.
  return match ? match[1]! : '';
};

/** graphql-ws connection params: `{ authorization: "Bearer …" }` or `{ token: "…" }`. */
function paramsToken(params: Record<string, unknown>): string | undefined {
  const header = params.authorization ?? params.Authorization;
  if (header !== undefined) return parseAuthorization(header);
  return typeof params.token === 'string' ? params.token : undefined;
}
