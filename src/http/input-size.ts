import type { ASTVisitor, ValidationContext } from 'graphql';
import { limitExceeded, type CairnError } from '../errors.ts';

/** The bounds `checkInputSize` and `inputSizeRule` apply (README "Security limits"). */
export interface InputBounds {
  maxList: number;
  maxDepth: number;
  maxString: number;
}

const listError = (bounds: InputBounds, length: number) =>
  limitExceeded('An input list', 'maxInputList', 'CAIRN_MAX_INPUT_LIST', bounds.maxList, length);
const depthError = (bounds: InputBounds) =>
  limitExceeded('Input nesting', 'maxInputDepth', 'CAIRN_MAX_INPUT_DEPTH', bounds.maxDepth, `more than ${bounds.maxDepth}`);
const stringError = (bounds: InputBounds, length: number) =>
  limitExceeded('An input string', 'maxStringLength', 'CAIRN_MAX_STRING_LENGTH', bounds.maxString, length);

/**
 * The first bound a JSON value (the request's variables) breaks, or undefined. It stops at the
 * first object past `maxDepth`, so a value nested 2000 deep costs 20 steps, not 2000.
 */
export function checkInputSize(value: unknown, bounds: InputBounds): CairnError | undefined {
  const walk = (v: unknown, depth: number): CairnError | undefined => {
    if (typeof v === 'string') return v.length > bounds.maxString ? stringError(bounds, v.length) : undefined;
    if (v === null || typeof v !== 'object') return undefined;
    if (Array.isArray(v)) {
      if (v.length > bounds.maxList) return listError(bounds, v.length);
      for (const item of v) {
        const error = walk(item, depth);
        if (error) return error;
      }
      return undefined;
    }
    if (depth > bounds.maxDepth) return depthError(bounds);
    for (const key in v) {
      const error = walk((v as Record<string, unknown>)[key], depth + 1);
      if (error) return error;
    }
    return undefined;
  };
  // The variables object itself is not an input value: its entries start at depth 1.
  if (value === null || typeof value !== 'object') return undefined;
  for (const key in value) {
    const error = walk((value as Record<string, unknown>)[key], 1);
    if (error) return error;
  }
  return undefined;
}

/** The same bounds for values written in the document itself (`where: { id: { in: [1, 2, …] } }`). */
export function inputSizeRule(bounds: InputBounds) {
  return (context: ValidationContext): ASTVisitor => {
    let depth = 0;
    let reported = false;
    const report = (error: CairnError) => {
      if (!reported) context.reportError(error);
      reported = true;
    };
    return {
      ObjectValue: {
        enter() {
          depth++;
          if (depth > bounds.maxDepth) report(depthError(bounds));
        },
        leave() {
          depth--;
        },
      },
      ListValue(node) {
        if (node.values.length > bounds.maxList) report(listError(bounds, node.values.length));
      },
      StringValue(node) {
        if (node.value.length > bounds.maxString) report(stringError(bounds, node.value.length));
      },
    };
  };
}
