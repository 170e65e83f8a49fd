import type { Plugin } from 'graphql-yoga';
import { requestPath } from './request-path.ts';

/**
 * `GET /ready`: 200 when `check` resolves true, 503 (with the reason as text) when it resolves
 * false or throws. Yoga's own useReadinessCheck answers the same, but tests every request against
 * a URLPattern (a polyfill on Node 20/22), about 1% of a simple query's CPU; this compares the path.
 */
export function useReadyEndpoint({ endpoint = '/ready', check }: { endpoint?: string; check: () => Promise<boolean> }): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (requestPath(request.url) !== endpoint) return;
      return check().then(
        (ready) => endResponse(new fetchAPI.Response(null, { status: ready ? 200 : 503 })),
        (error: unknown) =>
          endResponse(
            new fetchAPI.Response(error instanceof Error ? error.message : null, {
              status: 503,
              headers: error instanceof Error ? { 'content-type': 'text/plain; charset=utf-8' } : {},
            }),
          ),
      );
    },
  };
}
