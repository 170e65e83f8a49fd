import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from '../config/index.ts';
import { limitExceeded } from '../errors.ts';
import { checkInputSize, inputSizeRule, type InputBounds } from './input-size.ts';
import { operationCost, pageSizeFromVariables } from './operation-cost.ts';

export interface OperationLimitsOptions {
  limits: LimitsConfig;
  /** The page cap the cost model assumes for a list without `take`/`first`/`last`. */
  maxPageSize: number;
}

/** Reads the numbers out of GraphQL Armor's messages (`… limit of 12 exceeded, found 25.`). */
const armorFound = (error: GraphQLError) => Number(/found (\d+)/.exec(error.message)?.[1] ?? NaN);

/** The validation rules of the operation limits: depth, aliases, directives, input literals, introspection. */
export function operationLimitRules(limits: LimitsConfig): ValidationRule[] {
  const armor = (limit: 'maxDepth' | 'maxAliases' | 'maxDirectives', what: string, envVar: string) => ({
    n: limits[limit],
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(limitExceeded(what, limit, envVar, limits[limit], armorFound(error)))],
  });
  return [
    maxDepthRule(armor('maxDepth', 'The query depth', 'CAIRN_MAX_DEPTH')),
    maxAliasesRule(armor('maxAliases', 'The number of aliases', 'CAIRN_MAX_ALIASES')),
    maxDirectivesRule(armor('maxDirectives', 'The number of directives', 'CAIRN_MAX_DIRECTIVES')),
    inputSizeRule(inputBounds(limits)),
    !limits.introspection && NoSchemaIntrospectionCustomRule,
  ].filter((rule) => rule !== false);
}

const inputBounds = (limits: LimitsConfig): InputBounds => ({ maxList: limits.maxInputList, maxDepth: limits.maxInputDepth, maxString: limits.maxStringLength });

/**
 * Every operation limit, checked before anything executes: tokens while parsing (graphql-js's own
 * `maxTokens`, which stops the lexer), depth, aliases and directives (GraphQL Armor's rules),
 * introspection (off unless configured), input literals during validation (`operationLimitRules`,
 * which useValidationCache adds); then the variables' size and the cost (which needs the
 * variables' `take`/`first`) just before execution. Each refusal is BAD_USER_INPUT naming the
 * limit (`extensions.limit`), its maximum and the value.
 */
export function useOperationLimits({ limits, maxPageSize }: OperationLimitsOptions): Plugin {
  const bounds = inputBounds(limits);
  // yoga's parser cache hands the same DocumentNode to repeated operations: unless a variable sets
  // a page size (`take: $n`), their cost is fixed, so it is worked out once per document.
  const fixedCosts = new WeakMap<object, Map<string, number>>();
  const variableSized = new WeakMap<object, boolean>();
  const costOf = (args: { schema: any; document: any; operationName?: any; variableValues?: any }) => {
    let sized = variableSized.get(args.document);
    if (sized === undefined) variableSized.set(args.document, (sized = pageSizeFromVariables(args.document)));
    if (sized) return operationCost(args.schema, args.document, args.operationName, args.variableValues, maxPageSize);
    let byName = fixedCosts.get(args.document);
    if (!byName) fixedCosts.set(args.document, (byName = new Map()));
    const key = String(args.operationName ?? '');
    let cost = byName.get(key);
    if (cost === undefined) byName.set(key, (cost = operationCost(args.schema, args.document, args.operationName, args.variableValues, maxPageSize)));
    return cost;
  };

  const beforeRun = ({ args, stop }: { args: { schema: any; document: any; operationName?: any; variableValues?: any }; stop: (error: GraphQLError) => void }) => {
    const inputError = checkInputSize(args.variableValues, bounds);
    if (inputError) return stop(inputError);
    const cost = costOf(args);
    if (cost > limits.maxCost) {
      stop(limitExceeded('The query cost (rows it may read: list sizes multiplied down the tree)', 'maxCost', 'CAIRN_MAX_COST', limits.maxCost, cost));
    }
  };

  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && /contains more th\w+ \d+ tokens/.test(error.message)) {
            throw limitExceeded('The number of tokens', 'maxTokens', 'CAIRN_MAX_TOKENS', limits.maxTokens, `more than ${limits.maxTokens}`);
          }
          throw error;
        }
      });
    },
    onExecute({ args, setResultAndStopExecution }) {
      beforeRun({ args, stop: (error) => setResultAndStopExecution({ errors: [error] }) });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      beforeRun({ args, stop: (error) => setResultAndStopExecution({ errors: [error] }) });
    },
  };
}
