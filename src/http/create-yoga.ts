import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from './create-logger.ts';
import { useRequestLog } from './use-request-log.ts';
import { createYoga, type CORSOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import type { Auth } from '../auth/index.ts';
import type { Datamodel } from '../db/index.ts';
import type { Context } from '../schema/index.ts';
import { exampleQuery } from './example-query.ts';
import { createMaskError } from './mask-error.ts';
import { useBodySizeLimit } from './use-body-size-limit.ts';
import { useErrorCodes } from './use-error-codes.ts';
import { renderGraphiQLPage, useResponseDelivery } from './use-response-delivery.ts';
import { operationLimitRules, useOperationLimits } from './use-operation-limits.ts';
import { useReadyEndpoint } from './use-ready-endpoint.ts';
import { useRequestDeadline } from './use-request-deadline.ts';
import { rulesAddedBy, useValidationCache } from './use-validation-cache.ts';
import type { LimitsConfig } from '../config/index.ts';

export interface YogaOptions {
  schema: GraphQLSchema;
  /** Builds the per-request context (the same function serves WebSocket connections). */
  context: (request: Request, connectionParams?: Record<string, unknown>) => Promise<Context> | Context;
  /** Resolves when the instance may take traffic, throws saying why not; drives `/ready`. */
  isReady: () => Promise<boolean>;
  development: boolean;
  /** GraphiQL's page renderer (from @graphql-yoga/render-graphiql), or false to serve none. */
  graphiql: false | ((options?: object) => string);
  logError?: (error: unknown) => void;
  /** The server log: one line per request, yoga's own messages. */
  logger: Logger;
  /** Lets error messages name the fields behind a database constraint. */
  datamodel?: Datamodel;
  /** Sign-in: cookies, OAuth routes, CORS limited to the trusted origins. Null when the schema has no auth. */
  auth?: Pick<Auth, 'plugins' | 'trustedOrigins'> | null;
  /** The largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Operation, input and time limits (README "Security limits"). */
  limits: LimitsConfig;
  /** The page cap lists apply (the cost model's size for a list without `take`/`first`). */
  maxPageSize: number;
  /** Features' own plugins (file uploads and the storage routes), run before the body-size limit. @default [] */
  plugins?: Plugin[];
  /** Streaming plugins (realtime: subscription limits, live queries, graphql-sse), after the operation limits. @default [] */
  streamingPlugins?: Plugin<Record<string, unknown>, Context>[];
  /** The app's routes and yoga plugins (src/extend) and an embedder's, after Cairn's own. @default [] */
  appPlugins?: (Plugin<any> | undefined)[];
}

/**
 * yoga's CORS options (the HTTP fast path answers with the same). With cookies in play, only
 * trusted origins may read responses; otherwise yoga's default (any). Browsers may read the
 * request id and when to retry (SERVICE_UNAVAILABLE, RATE_LIMITED).
 */
export function corsOptions(auth: Pick<Auth, 'trustedOrigins'> | null | undefined): CORSOptions {
  return { ...(auth && { origin: auth.trustedOrigins, credentials: true }), exposedHeaders: ['x-request-id', 'retry-after'] };
}

/** Where yoga serves GraphQL (the HTTP fast path takes its plain POSTs there). */
export const graphqlEndpoint = '/graphql';

export type CairnYoga = YogaServerInstance<Record<string, unknown>, Context>;

/**
 * graphql-yoga at /graphql with /health (process up) and /ready (schema in the database). Plugins
 * in order: the validation cache first, the request log sees every request, error codes and
 * limits come before anything runs.
 */
export function createCairnYoga(options: YogaOptions): CairnYoga {
  const { auth, logger } = options;
  const deferStream = useDeferStream();
  const plugins = [
    useValidationCache([...operationLimitRules(options.limits), ...rulesAddedBy(deferStream)]),
    useRequestLog(logger),
    useErrorCodes({ suggestions: options.limits.suggestions }),
    ...(options.plugins ?? []),
    useBodySizeLimit(options.maxBodyBytes),
    useOperationLimits({ limits: options.limits, maxPageSize: options.maxPageSize }),
    useRequestDeadline(options.limits.requestTimeoutMs),
    useReadyEndpoint({ endpoint: '/ready', check: () => options.isReady() }),
    auth?.plugins.clientAddress,
    auth?.plugins.sessionCookies,
    auth?.plugins.oauthRoutes,
    // Its validation rules are useValidationCache's.
    { onSchemaChange: deferStream.onSchemaChange },
    ...(options.streamingPlugins ?? []),
    ...(options.appPlugins ?? []),
    ...useResponseDelivery(options),
  ].filter((plugin): plugin is Plugin => Boolean(plugin));
  return createYoga<Record<string, unknown>, Context>({
    schema: options.schema,
    graphqlEndpoint,
    healthCheckEndpoint: '/health',
    landingPage: false,
    batching: options.limits.maxBatch > 0 && { limit: options.limits.maxBatch },
    // Replaced by useBodySizeLimit (same limit, without re-streaming every body).
    maxRequestBodySize: false,
    // Documents stay cached by yoga; their validation is useValidationCache's.
    parserAndValidationCache: { validationCache: false },
    graphiql: options.graphiql ? { title: 'Cairn', defaultQuery: exampleQuery(options.schema) } : false,
    ...(options.graphiql && { renderGraphiQL: renderGraphiQLPage }),
    // WebSocket operations come through yoga.getEnveloped with their connection params.
    context: ({ request, connectionParams }) => options.context(request, connectionParams as Record<string, unknown> | undefined),
    cors: corsOptions(auth),
    maskedErrors: {
      maskError: createMaskError({
        development: options.development,
        log: options.logError ?? ((error) => logger.error({ err: error }, 'unexpected error')),
        datamodel: options.datamodel,
        suggestions: options.limits.suggestions,
      }),
    },
    // maskError logs what is unexpected; yoga would also log every masked (expected) error.
    logging: {
      debug: (...args: unknown[]) => logger.debug(args.map(String).join(' ')),
      info: (...args: unknown[]) => logger.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => logger.warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => {
        if (args.some((arg) => arg instanceof GraphQLError)) return;
        const err = args.find((arg) => arg instanceof Error);
        logger.error({ err }, args.filter((arg) => !(arg instanceof Error)).map(String).join(' ') || 'yoga error');
      },
    },
    plugins,
  });
}
