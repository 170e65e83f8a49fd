import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { toBadInput, withoutSuggestions } from './mask-error.ts';

/**
 * Gives parse and validation errors (which bypass maskError) the BAD_USER_INPUT code, and with
 * `suggestions: false` drops graphql-js's "Did you mean …" hints from them (they map the schema
 * for someone without introspection), and from variable coercion errors (`hideSuggestions`).
 */
const retryAfter = new WeakMap<Request, number>();

export function useErrorCodes({ suggestions = true }: { suggestions?: boolean } = {}): Plugin {
  const clean = (error: GraphQLError) => (suggestions ? error : withoutSuggestions(error));
  return {
    onParse: () => ({ result, replaceParseResult }) => {
      if (result instanceof Error && 'nodes' in result) replaceParseResult(clean(toBadInput(result as GraphQLError)));
    },
    onValidate: () => ({ valid, result, setResult }) => {
      if (!valid) setResult(result.map((error) => clean(toBadInput(error as GraphQLError))));
    },
    onExecute({ args }) {
      if (!suggestions) (args as { hideSuggestions?: boolean }).hideSuggestions = true;
    },
    // A retryable answer (SERVICE_UNAVAILABLE, RATE_LIMITED) says when to retry in the standard header too.
    onResultProcess({ request, result }) {
      noteRetryAfter(request, result);
    },
    onResponse({ request, response }) {
      setRetryAfter(request, response);
    },
  };
}

/** Remembers the longest `extensions.retryAfter` (seconds) among the result's errors. */
export function noteRetryAfter(request: Request, result: unknown): void {
  for (const item of Array.isArray(result) ? result : [result]) {
    for (const error of (item as { errors?: readonly { extensions?: { retryAfter?: unknown } }[] })?.errors ?? []) {
      const seconds = Number(error.extensions?.retryAfter);
      if (Number.isFinite(seconds) && seconds > 0) retryAfter.set(request, Math.max(retryAfter.get(request) ?? 0, Math.ceil(seconds)));
    }
  }
}

/** `Retry-After` on the response when the result said when to retry. */
export function setRetryAfter(request: Request, response: Response): void {
  const seconds = retryAfter.get(request);
  if (seconds) response.headers.set('retry-after', String(seconds));
}
