import { readCookie, serializeCookie } from './cookies.ts';
import { requestAuthState } from './request-auth-state.ts';

/** The browser's session: HttpOnly, SameSite=Lax, Path=/, Secure outside plain-http development. */
export const sessionCookieName = 'cairn_session';

export const readSessionCookie = (request: Request) => readCookie(request, sessionCookieName);

/** Makes the response set the session cookie, persistent until the session would expire. */
export function setSessionCookie(request: Request, token: string, expiresAt: Date, secure: boolean): void {
  requestAuthState(request).setCookies.push(serializeCookie(sessionCookieName, token, { secure, expires: expiresAt }));
}

/** Makes the response delete the session cookie. */
export function clearSessionCookie(request: Request, secure: boolean): void {
  requestAuthState(request).setCookies.push(serializeCookie(sessionCookieName, '', { secure, maxAge: 0 }));
}
