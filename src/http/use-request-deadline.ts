import type { Plugin } from 'graphql-yoga';
import { timeout } from '../errors.ts';

/**
 * Stops an operation when its client goes away or when it runs past `timeoutMs` (0: no deadline).
 * Both abort the executor's `signal`, so no further resolver starts (and so no further query):
 * the executor answers at once with the signal's reason, TIMEOUT for the deadline. Prisma takes
 * no AbortSignal, so a statement already sent finishes in the database (PostgreSQL bounds it with
 * `statement_timeout` set to the same deadline). Subscriptions have no deadline, only the abort.
 */
export function useRequestDeadline(timeoutMs: number): Plugin {
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      const controller = new AbortController();
      const abort = () => controller.abort(request?.signal.reason);
      request?.signal.addEventListener('abort', abort, { once: true });
      if (request?.signal.aborted) abort();
      const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(timeout(timeoutMs)), timeoutMs) : undefined;
      (args as { signal?: AbortSignal }).signal = controller.signal;
      return {
        onExecuteDone() {
          clearTimeout(timer);
          request?.signal.removeEventListener('abort', abort);
        },
      };
    },
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      if (request) (args as { signal?: AbortSignal }).signal = request.signal;
    },
  };
}
