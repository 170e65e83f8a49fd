/** Work an answer must not wait for (or be timed by), run after the response is on its way. */
export interface BackgroundWork {
  /** Runs `task` on a later turn of the event loop; its failure goes to `logError`. */
  run(task: () => Promise<unknown>): void;
  /** Resolves once every task started so far (and any they started) has finished: tests, shutdown. */
  settled(): Promise<void>;
}

export function createBackgroundWork(logError: (error: unknown) => void): BackgroundWork {
  const pending = new Set<Promise<void>>();
  return {
    run(task) {
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .then(
          () => {},
          (error) => logError(error),
        )
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    async settled() {
      while (pending.size) await Promise.all(pending);
    },
  };
}
