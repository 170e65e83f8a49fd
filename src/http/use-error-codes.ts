import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { toBadInput } from './mask-error.ts';

/** Gives parse and validation errors (which bypass maskError) the BAD_USER_INPUT code. */
export function useErrorCodes(): Plugin {
  return {
    onParse: () => ({ result, replaceParseResult }) => {
      if (result instanceof Error && 'nodes' in result) replaceParseResult(toBadInput(result as GraphQLError));
    },
    onValidate: () => ({ valid, result, setResult }) => {
      if (!valid) setResult(result.map((error) => toBadInput(error as GraphQLError)));
    },
  };
}
