import { specifiedRules, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Validates a document once per schema and hands later requests the same result, in place of
 * yoga's validation cache (created with `validationCache: false`). `rules` are the rules Cairn's
 * own plugins would add on every request (operation limits, @defer/@stream's); they are added only
 * when the document has not been validated yet, so a repeated operation costs one lookup instead
 * of rebuilding the rule list before yoga's cache looked it up (3 % of a small query's CPU).
 * As with yoga's cache, which keyed on the rules before Cairn's plugins added theirs, a plugin
 * after this one that adds rules is heard on the document's first validation only. First in the
 * plugin list, so it caches graphql-js's own errors, before useErrorCodes rewrites them.
 */
export function useValidationCache(rules: readonly ValidationRule[]): Plugin {
  const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly Error[]>>();
  return {
    onValidate({ params: { schema, documentAST }, addValidationRule, setResult }) {
      let bySchema = cache.get(schema);
      if (!bySchema) cache.set(schema, (bySchema = new WeakMap()));
      const known = bySchema.get(documentAST);
      if (known) return setResult(known);
      for (const rule of rules) addValidationRule(rule);
      return ({ result }) => bySchema.set(documentAST, result);
    },
  };
}

/**
 * The validation rules a plugin adds in its `onValidate` (one that adds the same rules to every
 * request, such as `useDeferStream`), read once by calling the hook against a collector.
 */
export function rulesAddedBy(plugin: Plugin<any>): ValidationRule[] {
  const added: ValidationRule[] = [];
  const hook = plugin.onValidate as ((payload: unknown) => unknown) | undefined;
  hook?.({ params: { rules: [...specifiedRules] }, addValidationRule: (rule: ValidationRule) => added.push(rule), setResult() {}, setValidationFn() {} });
  return added;
}
