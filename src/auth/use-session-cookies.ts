import type { Plugin } from 'graphql-yoga';
import { pendingCookies } from './request-auth-state.ts';

/** Puts the cookies resolvers asked for (sign-in, renewal, sign-out) on the HTTP response. */
export function useSessionCookies(): Plugin {
  return {
    onResponse({ request, response }) {
      appendSessionCookies(request, response);
    },
  };
}

/** What useSessionCookies does on every response (the HTTP fast path calls it too). */
export function appendSessionCookies(request: Request, response: Response): void {
  for (const cookie of pendingCookies(request)) response.headers.append('set-cookie', cookie);
}
