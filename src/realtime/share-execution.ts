import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  !!value && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

// payload object -> operation key -> result. Payloads are built per event and group (same viewer,
// same selection), so a key match means the same document over the same data for the same viewer.
const executions = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/**
 * The per-event execution of one subscription, shared: subscribers handed the same payload object
 * with the same document (yoga's parse cache returns one DocumentNode per query text),
 * operation and variables get one execution and one result object, instead of one each. This is
 * what makes fan-out to thousands of subscribers of one viewer class cheap (a cohort, as Hasura
 * calls it). A class, not a closure: one lives as long as its subscription.
 */
export class SharedExecution {
  readonly #args: ExecutionArgs;
  readonly #key: string;
  constructor(args: ExecutionArgs) {
    this.#args = args;
    let documentId = documentIds.get(args.document);
    if (documentId === undefined) documentIds.set(args.document, (documentId = nextDocumentId++));
    this.#key = `${documentId}:${args.operationName ?? ''}:${args.variableValues ? JSON.stringify(args.variableValues) : ''}`;
  }

  run(payload: unknown): Promise<ExecutionResult> | ExecutionResult {
    if (!payload || typeof payload !== 'object') return execute({ ...this.#args, rootValue: payload });
    let byKey = executions.get(payload);
    if (!byKey) executions.set(payload, (byKey = new Map()));
    let result = byKey.get(this.#key);
    if (!result) byKey.set(this.#key, (result = execute({ ...this.#args, rootValue: payload }) as Promise<ExecutionResult> | ExecutionResult));
    return result;
  }
}

/** The subscription's source stream and its shared execution, or the result that ends it at once (an error). */
export async function subscribeSharingExecution(args: ExecutionArgs): Promise<{ source: AsyncIterable<unknown>; execution: SharedExecution } | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source as ExecutionResult;
  return { source, execution: new SharedExecution(args) };
}
