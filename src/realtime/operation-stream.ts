import type { ExecutionResult } from 'graphql';
import { CairnError } from '../errors.ts';
import type { Context } from '../schema/index.ts';
import { PushQueue } from './async-queue.ts';
import type { OpenOperation, OperationRegistry } from './operation-registry.ts';

/** The result a subscriber receives when events may have been lost (see README "Missed events"). */
export const missedEventsResult: ExecutionResult = { extensions: { cairn: { missedEvents: true } } };

/** Turns one source value into the result the client gets (a subscription executes its selection over it). */
export interface ResultMapper {
  run(value: unknown): Promise<ExecutionResult> | ExecutionResult;
}

const failure = (error: unknown): ExecutionResult => ({
  errors: [error instanceof CairnError ? error : new CairnError('INTERNAL_SERVER_ERROR', 'The subscription failed.')],
});

/**
 * One open streaming operation, and the stream its client reads: the source's results (mapped
 * through `mapper`) with this operation's signals (missed events, failure, completion) merged in.
 * It pulls from the source only while the client waits for a result, with one `next()` in flight
 * and no loop of its own, so an idle subscription holds no pending async function here, only the
 * source's promise; results and signals reach the client in the order they became ready.
 */
export class Handle extends PushQueue<ExecutionResult> implements OpenOperation {
  readonly ctx: Context;
  onGap?: () => void;
  /** The registry's keys for its per-connection and per-viewer counts. */
  readonly connection: object;
  readonly viewerKey: string | undefined;
  readonly #registry: OperationRegistry;
  #source: AsyncIterator<unknown> | undefined;
  #mapper: ResultMapper | undefined;
  #pulling = false;

  constructor(ctx: Context, registry: OperationRegistry, connection: object, viewerKey: string | undefined) {
    super();
    this.ctx = ctx;
    this.#registry = registry;
    this.connection = connection;
    this.viewerKey = viewerKey;
  }

  /** The client's stream: `source`'s values, each mapped by `mapper` (as they are when omitted), with this operation's signals. */
  wrap(source: AsyncIterable<unknown>, mapper?: ResultMapper): this {
    this.#source = source[Symbol.asyncIterator]();
    this.#mapper = mapper;
    // Completed (shutdown, revocation) while the source was being set up: release it at once.
    if (this.ended) void this.#source.return?.();
    else if (this.waiting) this.#pull();
    return this;
  }

  gap(): void {
    if (this.onGap) this.onGap();
    else this.push(missedEventsResult);
  }

  fail(error: CairnError): void {
    this.push({ errors: [error] });
    this.complete();
  }

  /** Ends the stream after what is ready has been read, and stops the source. */
  complete(): void {
    this.end();
    void this.#source?.return?.();
  }

  // The client waits for a result: fetch the source's next one (one `next()` in flight at a time).
  protected override awaited(): void {
    this.#pull();
  }

  // The client left or read the end: free the registry's slot and stop the source (once).
  protected override returned(): void {
    this.#registry.release(this);
    void this.#source?.return?.();
  }

  #pull(): void {
    const source = this.#source;
    if (!source || this.#pulling || this.ended) return;
    this.#pulling = true;
    source.next().then(
      (next) => {
        if (next.done) return this.#settle(undefined);
        if (!this.#mapper) return this.#settle(next.value as ExecutionResult);
        let result: Promise<ExecutionResult> | ExecutionResult;
        try {
          result = this.#mapper.run(next.value);
        } catch (error) {
          return this.#settle(failure(error), true);
        }
        if (result instanceof Promise) result.then((value) => this.#settle(value), (error: unknown) => this.#settle(failure(error), true));
        else this.#settle(result);
      },
      (error: unknown) => this.#settle(failure(error), true),
    );
  }

  /** The source's next result arrived (undefined: it ended); `last`: the source failed, the stream ends after it. */
  #settle(result: ExecutionResult | undefined, last = false): void {
    this.#pulling = false;
    if (result !== undefined) this.push(result);
    if (result === undefined || last) return this.end();
    if (this.waiting) this.#pull();
  }
}
