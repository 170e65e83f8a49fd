/**
 * A push-driven async iterator: `push` values, `end` it; `return()` (the consumer leaving, e.g. a
 * client's `complete`) runs `onReturn` once. Values pushed beyond `limit` drop the oldest and
 * call `onOverflow`, so a slow consumer cannot grow memory without bound.
 */
export interface AsyncQueue<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  end(): void;
  readonly ended: boolean;
}

export interface AsyncQueueOptions {
  limit?: number;
  onOverflow?: () => void;
  onReturn?: () => void;
}

type Resolve<T> = (result: IteratorResult<T>) => void;
const done = (): IteratorResult<never> => ({ value: undefined, done: true });

/**
 * The queue as a class: one idle subscription holds one of these per stream, so its methods live
 * on the prototype (a closure bundle costs a closure per method, and under tsx's `keepNames` a
 * property dictionary per closure), and its buffers are allocated on first use. Subclasses
 * override `returned` and `overflowed` instead of passing callbacks.
 */
export class PushQueue<T> implements AsyncQueue<T> {
  #values: T[] | undefined;
  // A consumer waits with at most one `next()` at a time (for await, graphql-ws); more are queued.
  #waiting: Resolve<T> | Resolve<T>[] | undefined;
  #ended = false;
  #returned = false;
  readonly #limit: number;

  constructor(limit = Infinity) {
    this.#limit = limit;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The consumer left or read the end (once). */
  protected returned(): void {}
  /** `limit` was exceeded: the oldest value was dropped. */
  protected overflowed(): void {}
  /** The consumer started waiting for a value (a pull-driven subclass fetches one). */
  protected awaited(): void {}

  /** Whether a consumer is waiting for a value. */
  protected get waiting(): boolean {
    return this.#waiting !== undefined && (typeof this.#waiting === 'function' || this.#waiting.length > 0);
  }

  #finish(): void {
    if (this.#returned) return;
    this.#returned = true;
    this.returned();
  }

  #takeWaiting(): Resolve<T> | undefined {
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

  push(value: T): void {
    if (this.#ended) return;
    const next = this.#takeWaiting();
    if (next) return next({ value, done: false });
    const values = (this.#values ??= []);
    values.push(value);
    if (values.length > this.#limit) {
      values.shift();
      this.overflowed();
    }
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#releaseWaiting();
    if (!this.#values?.length) this.#finish();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#values?.length) return Promise.resolve({ value: this.#values.shift()!, done: false });
    if (this.#ended) {
      this.#finish();
      return Promise.resolve(done());
    }
    return new Promise((resolve) => {
      const waiting = this.#waiting;
      if (!waiting) this.#waiting = resolve;
      else if (typeof waiting === 'function') this.#waiting = [waiting, resolve];
      else waiting.push(resolve);
      this.awaited();
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#ended = true;
    this.#values = undefined;
    this.#releaseWaiting();
    this.#finish();
    return Promise.resolve(done());
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

class CallbackQueue<T> extends PushQueue<T> {
  readonly #options: AsyncQueueOptions;
  constructor(options: AsyncQueueOptions) {
    super(options.limit);
    this.#options = options;
  }
  protected override returned(): void {
    this.#options.onReturn?.();
  }
  protected override overflowed(): void {
    this.#options.onOverflow?.();
  }
}

export function createAsyncQueue<T>(options: AsyncQueueOptions = {}): AsyncQueue<T> {
  return new CallbackQueue<T>(options);
}
