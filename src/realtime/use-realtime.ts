import { getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { CairnError } from '../errors.ts';
import type { Context } from '../schema/index.ts';
import type { LiveQueries } from './live-queries.ts';
import type { OperationRegistry } from './operation-registry.ts';
import { subscribeSharingExecution } from './share-execution.ts';

/**
 * The yoga plugin every streaming operation passes through, on every transport (graphql-ws, SSE,
 * graphql-sse): it counts the operation against the limits, merges the missed-events signal and
 * session ends into its stream, and turns `query @live` into a stream of re-sent results.
 */
export function useRealtime(registry: OperationRegistry, live: LiveQueries): Plugin<Record<string, unknown>, Context> {
  const open = (ctx: Context) => {
    try {
      return registry.open(ctx);
    } catch (error) {
      if (error instanceof CairnError) return error;
      throw error;
    }
  };
  // One function for every subscription (envelop keeps the one it was given for the operation's life).
  const subscribe = async (args: ExecutionArgs): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> => {
    const handle = open(args.contextValue as Context);
    if (handle instanceof CairnError) return { errors: [handle] };
    let result: Awaited<ReturnType<typeof subscribeSharingExecution>>;
    try {
      result = await subscribeSharingExecution(args);
    } catch (error) {
      handle.complete();
      throw error;
    }
    if (!('source' in result)) {
      handle.complete();
      return result;
    }
    return handle.wrap(result.source, result.execution);
  };
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe);
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query' || !operation.directives?.some((d) => d.name.value === 'live')) return;
      setExecuteFn(async (executeArgs: ExecutionArgs) => {
        const handle = open(executeArgs.contextValue as Context);
        if (handle instanceof CairnError) return { errors: [handle] };
        return handle.wrap(live.stream(executeArgs, executeFn as (a: ExecutionArgs) => Promise<ExecutionResult>, handle));
      });
    },
  };
}
