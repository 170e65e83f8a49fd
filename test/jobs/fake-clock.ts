/**
 * A clock the test moves by hand, for the engines' `now` option. It also counts reads: the
 * queue and the deliverer read the clock once per poll and polls run one after another, so two
 * reads after a `set` mean at least one whole poll saw that time.
 */
export function createFakeClock(start: number) {
  let time = start;
  let reads = 0;
  const waiting: { at: number; resolve: () => void }[] = [];
  return {
    now: () => {
      reads++;
      for (const waiter of waiting.filter((w) => reads >= w.at)) waiting.splice(waiting.indexOf(waiter), 1), waiter.resolve();
      return time;
    },
    /** The time, without counting as an engine's read. */
    peek: () => time,
    set: (next: number) => void (time = next),
    /** Resolves after `count` more reads by the engine (a poll that ran entirely at the current time). */
    polled: (count = 2) => new Promise<void>((resolve) => waiting.push({ at: reads + count, resolve })),
  };
}
