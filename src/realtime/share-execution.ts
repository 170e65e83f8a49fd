import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  !!value && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

// payload object -> operation key -> result. Payloads are built per event and group (same viewer,
// same selection), so a key match means the same document over the same data for the same viewer.
const executions = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/**
 * `subscribe` whose per-event execution is shared: subscribers handed the same payload object
 * with the same document (yoga's parse cache returns one DocumentNode per query text),
 * operation and variables get one execution and one result object, instead of one each. This is
 * what makes fan-out to thousands of subscribers of one viewer class cheap (a cohort, as Hasura
 * calls it).
 */
export async function subscribeSharingExecution(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source as ExecutionResult;
  let documentId = documentIds.get(args.document);
  if (documentId === undefined) documentIds.set(args.document, (documentId = nextDocumentId++));
  const key = `${documentId}:${args.operationName ?? ''}:${args.variableValues ? JSON.stringify(args.variableValues) : ''}`;
  const iterator = source[Symbol.asyncIterator]();
  const run = (payload: unknown): Promise<ExecutionResult> | ExecutionResult => {
    if (!payload || typeof payload !== 'object') return execute({ ...args, rootValue: payload });
    let byKey = executions.get(payload);
    if (!byKey) executions.set(payload, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) byKey.set(key, (result = execute({ ...args, rootValue: payload }) as Promise<ExecutionResult> | ExecutionResult));
    return result;
  };
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const next = await iterator.next();
      return next.done ? { value: undefined, done: true } : { value: await run(next.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(error) {
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
