import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { BREAK, getOperationAST, GraphQLError, visit, type DocumentNode, type ExecutionResult } from 'graphql';
import { createGraphQLError, processRegularResult, type CORSOptions, type Plugin } from 'graphql-yoga';
import { getCORSHeadersByRequestAndOptions, handleErrorFromRequestHandler, normalizeNodeRequest, sendNodeResponse } from '@whatwg-node/server';
import { appendSessionCookies } from '../auth/use-session-cookies.ts';
import type { CairnYoga } from './create-yoga.ts';
import type { Logger } from './create-logger.ts';
import { compressResponse } from './use-compression.ts';
import { noteRetryAfter, setRetryAfter } from './use-error-codes.ts';
import { finishRequestLog, noteOperationName, noteResultCodes, startRequestLog } from './use-request-log.ts';
import { compressionThresholdBytes } from './use-response-delivery.ts';

export interface FastPathOptions {
  yoga: CairnYoga;
  /** yoga's `graphqlEndpoint`. */
  endpoint: string;
  /** useBodySizeLimit's limit: a larger declared body goes to yoga, which refuses it. */
  maxBodyBytes: number;
  /** The CORS options yoga was given (createCairnYoga's `corsOptions`). */
  cors: CORSOptions;
  logger: Logger;
  /** Whether responses are compressed (useResponseDelivery: outside development). */
  compress: boolean;
  /** Whether yoga has auth's session-cookie plugin. */
  sessionCookies: boolean;
}

/** How many requests the fast path answered and how many it handed to yoga (tests read it). */
export interface FastPathStats {
  fast: number;
  yoga: number;
}

type Params = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null; extensions?: Record<string, unknown> | null };

const paramNames = new Set(['query', 'variables', 'operationName', 'extensions']);
// What yoga's JSON parser takes (isContentTypeMatch: exact, case-sensitive), with the common charset.
const jsonContentType = /^application\/json(?:; ?charset=(?:utf-8|UTF-8))?$/;
// Only these pick yoga's regular `application/json` result processor (useResultProcessors).
const plainAccepts = new Set([undefined, '*/*', 'application/json']);

/**
 * Whether a yoga plugin has hooks at the HTTP level, which the fast path does not run: an app's or
 * embedder's plugin with any of them switches the fast path off (envelop-level hooks are fine: the
 * fast path runs the operation through `yoga.getEnveloped`).
 */
export function hasHttpHooks(plugin: Plugin<any> | undefined): boolean {
  if (!plugin) return false;
  const hooks = ['onRequest', 'onRequestParse', 'onParams', 'onExecutionResult', 'onResultProcess', 'onResponse', 'instrumentation', 'onYogaInit'] as const;
  return hooks.some((hook) => hook in plugin && (plugin as Record<string, unknown>)[hook] != null);
}

/**
 * A node request listener in front of yoga for the common request: a POST of one JSON operation
 * (query or mutation, without @defer/@stream/@live) to the GraphQL endpoint, answered as
 * `application/json`. It produces the response yoga would — the operation runs through
 * `yoga.getEnveloped` (every envelop hook: caches, limits, masking, deadline, auth's client
 * address, the request log's viewer), the result through yoga's own `processRegularResult`, the
 * response through the same CORS function and Cairn's plugins' own functions in yoga's order,
 * and out through whatwg-node's `sendNodeResponse` — without yoga's per-request HTTP machinery.
 * Everything else goes to yoga untouched: before the body is read when the headers already say
 * so, with the body already read (`req.body`, which whatwg-node takes as the body) when the body
 * is not one plain operation, or parse or validation fail (yoga answers those errors itself).
 */
export function serveFastPath(options: FastPathOptions): RequestListener & { stats: FastPathStats } {
  const { yoga, endpoint, maxBodyBytes, cors, logger, compress, sessionCookies } = options;
  // Read once: every property read through yoga's server-adapter proxy binds a new function.
  const { fetchAPI, getEnveloped, logger: yogaLogger } = yoga;
  const internals = yoga as unknown as {
    maskedErrorsOpts: { maskError: (error: unknown, message: string, isDev?: boolean) => Error; errorMessage: string; isDev?: boolean } | null;
    waitUntil: (promise: Promise<unknown>) => void;
  };
  const { waitUntil } = internals;
  // What the fast path relies on yoga not to do per request: then every request goes to yoga.
  const hooks = yoga as unknown as { onExecutionResultHooks?: unknown[]; instrumentation?: unknown };
  const usable = !!internals.maskedErrorsOpts && !hooks.onExecutionResultHooks?.length && !hooks.instrumentation;
  // As createServerAdapter decides it for yoga's own requests.
  const customAbortController = fetchAPI.Request !== globalThis.Request;
  const stats: FastPathStats = { fast: 0, yoga: 0 };
  const toYoga = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    stats.yoga += 1;
    if (body) (req as IncomingMessage & { body?: Buffer }).body = body;
    void yoga(req, res);
  };

  // Streaming directives turn a result into a stream (yoga picks its processor): decided once per document.
  const streams = new WeakMap<DocumentNode, boolean>();
  const usesStreaming = (document: DocumentNode) => {
    let found = streams.get(document);
    if (found === undefined) {
      found = false;
      visit(document, {
        Directive(node) {
          if (node.name.value === 'defer' || node.name.value === 'stream' || node.name.value === 'live') {
            found = true;
            return BREAK;
          }
        },
      });
      streams.set(document, found);
    }
    return found;
  };

  // yoga's handleError for an operation that threw (masked errors are always on in Cairn).
  const toErrors = (error: unknown): GraphQLError[] => {
    const masking = internals.maskedErrorsOpts!;
    const errors = new Set<GraphQLError>();
    if (error != null && typeof error === 'object' && 'errors' in error) {
      for (const single of (error as { errors: unknown[] }).errors) for (const handled of toErrors(single)) errors.add(handled);
    } else if (isAbortError(error)) {
      yogaLogger.debug('Request aborted');
    } else {
      const masked = masking.maskError(error, masking.errorMessage, masking.isDev);
      if (masked !== error) yogaLogger.error(error);
      errors.add(masked instanceof GraphQLError ? masked : createGraphQLError(masked.message, { originalError: masked }));
    }
    return [...errors];
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, body: Buffer, arrived: number) => {
    let params: unknown;
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      return toYoga(req, res, body);
    }
    if (!isPlainParams(params)) return toYoga(req, res, body);
    (req as IncomingMessage & { body?: Buffer }).body = body;
    // yoga's own Request for a node request: same URL, headers, body and abort on a client gone away.
    const request = normalizeNodeRequest(req, fetchAPI, res, customAbortController);
    startRequestLog(request, arrived);
    // yoga's server context (requestListener) with what handleParams adds.
    const context = { req, res, waitUntil, request, params };
    let enveloped: ReturnType<typeof getEnveloped>;
    let document: DocumentNode;
    try {
      enveloped = getEnveloped(context as never);
      document = enveloped.parse(params.query);
      // Nothing has run yet: a failed parse or validation (or a throw in either) is yoga's to answer.
      if (enveloped.validate(enveloped.schema, document).length > 0) return toYoga(req, res, body);
    } catch {
      return toYoga(req, res, body);
    }
    const kind = getOperationAST(document, params.operationName)?.operation;
    if ((kind !== 'query' && kind !== 'mutation') || usesStreaming(document)) return toYoga(req, res, body);
    stats.fast += 1;
    try {
      noteOperationName(request, params.operationName);
      let result: ExecutionResult;
      try {
        const contextValue = await enveloped.contextFactory();
        result = (await enveloped.execute({ schema: enveloped.schema, document, contextValue, variableValues: params.variables, operationName: params.operationName })) as ExecutionResult;
      } catch (error) {
        result = { errors: toErrors(error) };
      }
      // yoga's onResultProcess hooks (result processor, request log, error codes), then its onResponse hooks in plugin order.
      noteResultCodes(request, result);
      noteRetryAfter(request, result);
      let response = processRegularResult(result, fetchAPI, 'application/json');
      const corsHeaders = getCORSHeadersByRequestAndOptions(request, cors);
      if (corsHeaders) for (const name in corsHeaders) response.headers.set(name, corsHeaders[name]!);
      finishRequestLog(logger, request, response);
      setRetryAfter(request, response);
      if (sessionCookies) appendSessionCookies(request, response);
      if (compress) response = (await compressResponse(request, response, fetchAPI, compressionThresholdBytes)) ?? response;
      await sendNodeResponse(response, res, req, true);
    } catch (error) {
      // As yoga's requestListener answers an error thrown while handling a request.
      await sendNodeResponse(handleErrorFromRequestHandler(error, fetchAPI.Response), res, req, true);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!usable || !takes(req, endpoint, maxBodyBytes)) return toYoga(req, res);
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      serve(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), arrived).catch((error) => console.error(`Unexpected error while handling request: ${(error as Error).message || error}`));
    });
    // A client gone before the body arrived leaves nothing to answer (res is closed).
    req.once('error', () => res.destroy());
  };
  return Object.assign(listener, { stats });
}

/** What the headers must say for the fast path to take a request (anything else is yoga's from the start). */
function takes(req: IncomingMessage, endpoint: string, maxBodyBytes: number): boolean {
  if (req.method !== 'POST' || req.url !== endpoint) return false;
  const { headers } = req;
  if (!jsonContentType.test(headers['content-type'] ?? '') || !plainAccepts.has(headers.accept)) return false;
  if (headers['transfer-encoding'] !== undefined) return false;
  const declared = headers['content-length'];
  // useBodySizeLimit's check: one integer within the limit (yoga refuses the others).
  return declared !== undefined && /^\d+$/.test(declared) && Number(declared) > 0 && Number(declared) <= maxBodyBytes;
}

/** One operation as yoga's checkGraphQLQueryParams accepts it, and nothing else in the object. */
function isPlainParams(body: unknown): body is Params {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  for (const key in body) if (!paramNames.has(key)) return false;
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  const objectOrNone = (value: unknown) => value == null || (typeof value === 'object' && !Array.isArray(value));
  return typeof query === 'string' && objectOrNone(variables) && objectOrNone(extensions) && (operationName == null || typeof operationName === 'string');
}

/** yoga's isAbortError. */
function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error?.constructor?.name === 'DOMException' && ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError');
}
