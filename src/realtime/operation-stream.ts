import type { ExecutionResult } from 'graphql';
import { CairnError } from '../errors.ts';
import type { Context } from '../schema/index.ts';
import type { OpenOperation, OperationRegistry } from './operation-registry.ts';

/** The result a subscriber receives when events may have been lost (see README "Missed events"). */
export const missedEventsResult: ExecutionResult = { extensions: { cairn: { missedEvents: true } } };

/** Turns one source value into the result the client gets (a subscription executes its selection over it). */
export interface ResultMapper {
  run(value: unknown): Promise<ExecutionResult> | ExecutionResult;
}

type Resolve = (result: IteratorResult<ExecutionResult>) => void;
const done = (): IteratorResult<ExecutionResult> => ({ value: undefined, done: true });
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
export class Handle implements OpenOperation, AsyncIterableIterator<ExecutionResult> {
  readonly ctx: Context;
  onGap?: () => void;
  /** The registry's keys for its per-connection and per-viewer counts. */
  readonly connection: object;
  readonly viewerKey: string | undefined;
  readonly #registry: OperationRegistry;
  #source: AsyncIterator<unknown> | undefined;
  #mapper: ResultMapper | undefined;
  // Results ready before the client asked (signals, or a source result that raced a signal).
  #ready: ExecutionResult[] | undefined;
  // The client reads one result at a time (graphql-ws, SSE); further concurrent reads queue.
  #waiting: Resolve | Resolve[] | undefined;
  #pulling = false;
  #ended = false;
  #released = false;

  constructor(ctx: Context, registry: OperationRegistry, connection: object, viewerKey: string | undefined) {
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
    if (this.#ended) void this.#source.return?.();
    else if (this.#waiting) this.#pull();
    return this;
  }

  gap(): void {
    if (this.onGap) this.onGap();
    else this.#emit(missedEventsResult);
  }

  fail(error: CairnError): void {
    this.#emit({ errors: [error] });
    this.complete();
  }

  /** Ends the stream after what is ready has been read, and stops the source. */
  complete(): void {
    this.#end();
    void this.#source?.return?.();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.#ready?.length) return Promise.resolve({ value: this.#ready.shift()!, done: false });
    if (this.#ended) {
      this.#release();
      return Promise.resolve(done());
    }
    return new Promise((resolve) => {
      const waiting = this.#waiting;
      if (!waiting) this.#waiting = resolve;
      else if (typeof waiting === 'function') this.#waiting = [waiting, resolve];
      else waiting.push(resolve);
      this.#pull();
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.#ended = true;
    this.#ready = undefined;
    this.#releaseWaiting();
    this.#release();
    return Promise.resolve(done());
  }

  throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #pull(): void {
    const source = this.#source;
    if (!source || this.#pulling || this.#ended) return;
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
    if (result !== undefined) this.#emit(result);
    if (result === undefined || last) return this.#end();
    if (this.#waiting) this.#pull();
  }

  #emit(result: ExecutionResult): void {
    if (this.#ended) return;
    const next = this.#takeWaiting();
    if (next) next({ value: result, done: false });
    else (this.#ready ??= []).push(result);
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#releaseWaiting();
    if (!this.#ready?.length) this.#release();
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#registry.release(this);
    void this.#source?.return?.();
  }

  #takeWaiting(): Resolve | undefined {
    const waiting = this.#waiting;
    if (typeof waiting === 'function') {
      this.#waiting = undefined;
      return waiting;
    }
    return waiting?.shift();
  }

  #releaseWaiting(): void {
    for (let next = this.#takeWaiting(); next; next = this.#takeWaiting()) next(done());
  }
}
