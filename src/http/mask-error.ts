import { GraphQLError } from 'graphql';
import { translatePrismaError, type Datamodel } from '../db/index.ts';
import { badInput, internal, isCairnError, type CairnError } from '../errors.ts';

/**
 * Yoga's `maskError`: every error a client sees leaves here with a code from the closed set.
 * Cairn's own errors pass through, Prisma's are translated, GraphQL's own (invalid variables,
 * unknown fields) become BAD_USER_INPUT, anything else is INTERNAL_SERVER_ERROR — its message
 * shown only in development.
 */
export function createMaskError(options: { development: boolean; log: (error: unknown) => void; datamodel?: Datamodel; suggestions?: boolean }) {
  return (error: unknown): Error => {
    const graphqlError = error instanceof GraphQLError ? error : undefined;
    const original = graphqlError?.originalError ?? error;
    const known = classify(original, graphqlError, options.datamodel);
    if (!known) options.log(original);
    const result =
      known ?? internal(options.development && original instanceof Error ? original.message : 'Unexpected error.');
    // graphql-js prefixes a scalar's own error with where the value sat (`… at "data.price"; …`): keep
    // that, for Cairn's scalars and the built-in ones (`Int cannot represent …`) alike.
    const located = isCairnError(original) || original instanceof GraphQLError;
    let message = known && located && graphqlError ? graphqlError.message : result.message;
    // Belt and braces: a translated message that still quotes Prisma's framing is not shown in production.
    if (!options.development && /prisma|invocation/i.test(message)) message = `The request was refused (${String(result.extensions.code)}).`;
    return new GraphQLError(options.suggestions === false ? stripSuggestions(message) : message, {
      nodes: graphqlError?.nodes,
      path: graphqlError?.path,
      source: graphqlError?.source,
      positions: graphqlError?.positions,
      extensions: result.extensions,
    });
  };
}

function classify(original: unknown, graphqlError: GraphQLError | undefined, datamodel?: Datamodel): CairnError | undefined {
  if (isCairnError(original)) return original;
  const prisma = translatePrismaError(original, datamodel);
  if (prisma) return prisma;
  if ((original as Error)?.name === 'PothosValidationError') return badInput((original as Error).message);
  // A GraphQLError that wraps nothing comes from graphql-js itself: the request was invalid.
  if (graphqlError && (!graphqlError.originalError || graphqlError.originalError === graphqlError)) {
    return badInput(graphqlError.message);
  }
  if (original instanceof GraphQLError && original !== graphqlError) return classify(original.originalError, original, datamodel);
  return undefined;
}

/** Parse and validation errors never reach maskError; give them the same code. */
export function toBadInput(error: GraphQLError): GraphQLError {
  if (error.extensions?.code === 'BAD_USER_INPUT') return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

const stripSuggestions = (message: string) => message.replace(/\s*Did you mean [^?]*\?/g, '');

/** The error without graphql-js's "Did you mean …" hints (field, argument, type and enum value names). */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = stripSuggestions(error.message);
  if (message === error.message) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: error.extensions });
}
