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

export function createAsyncQueue<T>(options: { limit?: number; onOverflow?: () => void; onReturn?: () => void } = {}): AsyncQueue<T> {
  const values: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let ended = false;
  let returned = false;
  const finish = () => {
    if (returned) return;
    returned = true;
    options.onReturn?.();
  };
  const done = (): IteratorResult<T> => ({ value: undefined, done: true });
  const queue: AsyncQueue<T> = {
    get ended() {
      return ended;
    },
    push(value) {
      if (ended) return;
      const next = waiting.shift();
      if (next) return next({ value, done: false });
      values.push(value);
      if (options.limit !== undefined && values.length > options.limit) {
        values.shift();
        options.onOverflow?.();
      }
    },
    end() {
      if (ended) return;
      ended = true;
      for (const next of waiting.splice(0)) next(done());
      if (!values.length) finish();
    },
    next() {
      if (values.length) return Promise.resolve({ value: values.shift()!, done: false });
      if (ended) {
        finish();
        return Promise.resolve(done());
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    return() {
      ended = true;
      values.length = 0;
      for (const next of waiting.splice(0)) next(done());
      finish();
      return Promise.resolve(done());
    },
    throw(error?: unknown) {
      queue.return!();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
