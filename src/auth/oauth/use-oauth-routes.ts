import type { Plugin } from 'graphql-yoga';
import type { OAuthFlow } from './create-oauth-flow.ts';
import type { OAuthProvider } from './oauth-provider.ts';

const route = /^\/auth\/([a-z0-9-]{1,32})\/(start|callback)$/;

/** Serves GET /auth/:provider/start and /auth/:provider/callback beside /graphql. */
export function useOAuthRoutes(flow: OAuthFlow, providers: ReadonlyMap<string, OAuthProvider>): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const match = route.exec(url.pathname);
      if (!match || request.method !== 'GET') return;
      const provider = providers.get(match[1]!);
      if (!provider) {
        endResponse(Response.json({ error: `No OAuth provider "${match[1]}"; configured: ${flow.providers.join(', ') || 'none'}` }, { status: 404 }));
        return;
      }
      endResponse(await (match[2] === 'start' ? flow.start(request, provider) : flow.callback(request, provider)));
    },
  };
}
