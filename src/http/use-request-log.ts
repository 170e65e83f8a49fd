import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { requestPath } from './request-path.ts';
import type { Logger } from './create-logger.ts';

/** The header that carries a request's id, both ways. */
export const requestIdHeader = 'x-request-id';

// Ids from a proxy or client are kept only when they look like ids (no log injection, bounded size).
const saneId = /^[\w.:@/+=-]{1,128}$/;

interface RequestLog {
  id: string;
  started: number;
  operation?: string;
  viewerId?: unknown;
  codes: Set<string>;
}

const logs = new WeakMap<Request, RequestLog>();

/** The id `useRequestLog` gave this request (the incoming `x-request-id` when sane). */
export const requestIdOf = (request: Request): string | undefined => logs.get(request)?.id;

/** Starts a request's log entry (its id: the incoming `x-request-id` when sane, else a new one); `started` is when it arrived. */
export function startRequestLog(request: Request, started = performance.now()): void {
  const incoming = request.headers.get(requestIdHeader);
  logs.set(request, { id: incoming && saneId.test(incoming) ? incoming : randomUUID(), started, codes: new Set() });
}

/** Remembers the operation name the request asked for. */
export function noteOperationName(request: Request, operationName: unknown): void {
  const log = logs.get(request);
  if (log && operationName) log.operation = String(operationName).slice(0, 100);
}

/** Remembers the error codes of the result (or batch of results) the request is answered with. */
export function noteResultCodes(request: Request, result: unknown): void {
  const log = logs.get(request);
  for (const item of Array.isArray(result) ? result : [result]) {
    for (const error of (item as { errors?: readonly { extensions?: { code?: unknown } }[] })?.errors ?? []) {
      log?.codes.add(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
    }
  }
}

/** Puts the id on the response and writes the request's log line. */
export function finishRequestLog(logger: Logger, request: Request, response: Response, quietPaths: readonly string[] = defaultQuietPaths): void {
  const log = logs.get(request);
  if (!log) return;
  response.headers.set(requestIdHeader, log.id);
  const path = requestPath(request.url);
  const line = {
    reqId: log.id,
    method: request.method,
    path,
    status: response.status,
    durationMs: Math.round((performance.now() - log.started) * 10) / 10,
    ...(log.operation && { operation: log.operation }),
    ...(log.viewerId !== undefined && { viewerId: log.viewerId }),
    ...(log.codes.size > 0 && { errorCodes: [...log.codes] }),
  };
  if (quietPaths.includes(path)) logger.debug(line, 'request');
  else logger.info(line, 'request');
}

const defaultQuietPaths = ['/health', '/ready'];

/**
 * One log line per HTTP request, when its response is ready: request id, method, path, status,
 * duration, operation name, viewer id and the error codes it answered with. The id comes back in
 * `x-request-id`. Health probes (/health, /ready) log at debug so they don't drown the rest.
 * The HTTP fast path (serve-fast-path.ts) calls the same functions at the same points.
 */
export function useRequestLog(logger: Logger, quietPaths: readonly string[] = defaultQuietPaths): Plugin {
  return {
    onRequest({ request }) {
      startRequestLog(request);
    },
    onParams({ params, request }) {
      noteOperationName(request, params.operationName);
    },
    onExecute({ args }) {
      const context = args.contextValue as { request?: Request; viewer?: { id?: unknown } | null };
      const log = context.request && logs.get(context.request);
      if (log) log.viewerId = context.viewer?.id ?? null;
      return {
        onExecuteDone({ result }) {
          if (!log || !('errors' in result)) return;
          for (const error of result.errors ?? []) log.codes.add(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
        },
      };
    },
    onResultProcess({ request, result }) {
      noteResultCodes(request, result);
    },
    onResponse({ request, response }) {
      finishRequestLog(logger, request, response, quietPaths);
    },
  };
}
