import type { GraphQLSchema } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Context } from '../schema/index.ts';
import { createMaskError } from './mask-error.ts';
import { useErrorCodes } from './use-error-codes.ts';

export interface YogaOptions {
  schema: GraphQLSchema;
  /** Builds the per-request context (the same function serves WebSocket connections). */
  context: (request: Request) => Promise<Context> | Context;
  /** Resolves when the database answers; drives `/ready`. */
  isReady: () => Promise<boolean>;
  development: boolean;
  graphiql: boolean;
  logError?: (error: unknown) => void;
}

export type CairnYoga = YogaServerInstance<Record<string, unknown>, Context>;

/** graphql-yoga at /graphql with /health (process up) and /ready (database reachable). */
export function createCairnYoga(options: YogaOptions): CairnYoga {
  const plugins: Plugin[] = [
    useErrorCodes(),
    useReadinessCheck({ endpoint: '/ready', check: () => options.isReady() }),
  ];
  return createYoga<Record<string, unknown>, Context>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: options.graphiql ? { title: 'Cairn', defaultQuery: '{ __typename }' } : false,
    // GraphiQL's assets come from the npm package, not a CDN, so it works air-gapped too.
    renderGraphiQL,
    context: ({ request }) => options.context(request),
    maskedErrors: {
      maskError: createMaskError({ development: options.development, log: options.logError ?? console.error }),
    },
    plugins,
  });
}
