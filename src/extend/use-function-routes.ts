import type { Plugin } from 'graphql-yoga';
import { errorCodes, isCairnError } from '../errors.ts';
import type { Context } from '../schema/index.ts';
import type { Route } from './functions.ts';

const reserved = ['/graphql', '/health', '/ready', '/auth/'];

export function resolveRoutes(routes: readonly Route[]): Map<string, Route> {
  const byKey = new Map<string, Route>();
  for (const route of routes) {
    if (!/^\/[\w\-./]*$/.test(route.path ?? '')) throw new Error(`Route ${route.method} ${route.path}: path must be an absolute URL path like /functions/stripe`);
    if (reserved.some((r) => route.path === r || route.path.startsWith(r.endsWith('/') ? r : `${r}/`))) throw new Error(`Route ${route.method} ${route.path}: the path is Cairn's own (${reserved.join(', ')})`);
    if (typeof route.handler !== 'function') throw new Error(`Route ${route.method} ${route.path}: handler must be a function`);
    const key = `${route.method.toUpperCase()} ${route.path}`;
    if (byKey.has(key)) throw new Error(`Route ${key} is declared twice`);
    byKey.set(key, route);
  }
  return byKey;
}

/**
 * The app's plain HTTP routes, answered before GraphQL. The request reaches the handler with its
 * body unread (signature checks need the raw bytes). A handler that throws answers with a coded
 * JSON error; anything but a CairnError is logged with its stack and masked.
 */
export function useFunctionRoutes(routes: Map<string, Route>, context: (request: Request) => Promise<Context>, log: (error: unknown) => void): Plugin | undefined {
  if (!routes.size) return undefined;
  return {
    async onRequest({ request, url, endResponse }) {
      const route = routes.get(`${request.method} ${url.pathname}`);
      if (!route) return;
      try {
        const ctx = await context(request);
        endResponse(await route.handler(request, { db: ctx.db, viewer: ctx.viewer, jobs: ctx.jobs, notify: ctx.notify, request }));
      } catch (error) {
        if (!isCairnError(error)) log(error);
        const code = isCairnError(error) ? error.code : 'INTERNAL_SERVER_ERROR';
        const message = isCairnError(error) ? error.message : `Route ${route.method} ${route.path} failed unexpectedly.`;
        endResponse(Response.json({ error: { code, message } }, { status: errorCodes[code] }));
      }
    },
  };
}
