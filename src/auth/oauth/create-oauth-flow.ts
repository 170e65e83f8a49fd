import { generateCodeVerifier, generateState } from 'arctic';
import type { Viewer } from '../../schema/index.ts';
import type { AuthDeps } from '../auth-deps.ts';
import { readCookie, serializeCookie } from '../cookies.ts';
import { issueSession } from '../issue-session.ts';
import { hashToken, safeEqual } from '../random-token.ts';
import { requestAuthState } from '../request-auth-state.ts';
import { readSessionCookie } from '../session-cookie.ts';
import { linkOAuthAccount, OAuthSignInError } from './link-oauth-account.ts';
import type { OAuthProvider } from './oauth-provider.ts';

/** The flow's short-lived cookies: long enough to sign in at the provider, scoped to /auth/. */
const flowCookies = { state: 'cairn_oauth_state', verifier: 'cairn_oauth_verifier', returnTo: 'cairn_oauth_return' } as const;
const flowSeconds = 600;

export type OAuthFlow = ReturnType<typeof createOAuthFlow>;

/**
 * GET /auth/:provider/start and /auth/:provider/callback. `start?redirect=/path` remembers where
 * to go afterwards (a path, or a URL on a trusted origin). The callback checks the state against
 * its cookie in constant time, proves the PKCE verifier at the token endpoint, links or creates
 * the user, sets the session cookie and redirects; failures redirect with `?auth_error=<code>`.
 */
export function createOAuthFlow(deps: AuthDeps, providers: ReadonlyMap<string, OAuthProvider>) {
  const { settings } = deps;
  const cookie = (name: string, value: string, maxAge: number) =>
    serializeCookie(name, value, { secure: settings.secureCookies, path: '/auth/', maxAge });
  const clearFlow = Object.values(flowCookies).map((name) => cookie(name, '', 0));

  function returnTarget(raw: string | null | undefined): string {
    const fallback = `${settings.publicUrl}/`;
    if (!raw) return fallback;
    // A path on this site; `//host` and `/\host` would be read by browsers as another host.
    if (/^\/(?![/\\])/.test(raw)) return new URL(raw, fallback).href;
    return URL.canParse(raw) && settings.trustedOrigins.has(new URL(raw).origin) ? new URL(raw).href : fallback;
  }

  function redirect(location: string, cookies: string[], error?: string): Response {
    const url = new URL(location);
    if (error) url.searchParams.set('auth_error', error);
    const headers = new Headers({ location: url.href, 'cache-control': 'no-store' });
    for (const c of cookies) headers.append('set-cookie', c);
    return new Response(null, { status: 302, headers });
  }

  return {
    providers: [...providers.keys()],

    async start(request: Request, provider: OAuthProvider): Promise<Response> {
      const state = generateState();
      const verifier = generateCodeVerifier();
      const target = returnTarget(new URL(request.url).searchParams.get('redirect'));
      const url = await provider.authorizationUrl(state, verifier);
      return redirect(url.href, [
        cookie(flowCookies.state, state, flowSeconds),
        cookie(flowCookies.verifier, verifier, flowSeconds),
        cookie(flowCookies.returnTo, encodeURIComponent(target), flowSeconds),
      ]);
    },

    async callback(request: Request, provider: OAuthProvider): Promise<Response> {
      const params = new URL(request.url).searchParams;
      const stored = readCookie(request, flowCookies.state);
      const verifier = readCookie(request, flowCookies.verifier);
      const target = returnTarget(safeDecode(readCookie(request, flowCookies.returnTo)));
      const fail = (code: string) => redirect(target, clearFlow, code);
      if (params.get('error')) return fail('access_denied');
      const code = params.get('code');
      const state = params.get('state');
      if (!code || !state || !stored || !verifier || !safeEqual(state, stored)) return fail('invalid_state');

      let viewer: Viewer;
      try {
        viewer = await linkOAuthAccount(deps, provider.name, await provider.profile(code, verifier));
      } catch (error) {
        if (error instanceof OAuthSignInError) return fail(error.code);
        deps.logError(error);
        return fail('provider_error');
      }
      // Whatever session this browser had is replaced, never carried over.
      const previous = readSessionCookie(request);
      if (previous) await deps.sessions.invalidate(hashToken(previous));
      await issueSession(deps, request, viewer);
      // This response is built here, so the session cookie goes on it directly.
      return redirect(target, [...clearFlow, ...requestAuthState(request).setCookies.splice(0)]);
    },
  };
}

function safeDecode(value: string | undefined): string | undefined {
  try {
    return value && decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
