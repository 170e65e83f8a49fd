import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { toBadInput, withoutSuggestions } from './mask-error.ts';

/**
 * Gives parse and validation errors (which bypass maskError) the BAD_USER_INPUT code, and with
 * `suggestions: false` drops graphql-js's "Did you mean …" hints from them (they map the schema
 * for someone without introspection), and from variable coercion errors (`hideSuggestions`).
 */
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
  };
}
