import { Cron } from 'croner';
import type { JobQueue } from './job-queue.ts';

export interface ScheduleDefinition {
  /** A cron pattern (croner: 5 or 6 fields, seconds first when 6), e.g. `0 3 * * *` for 03:00 daily. */
  cron: string;
  /** IANA time zone the pattern is read in. @default "UTC" */
  timezone?: string;
}

export interface ResolvedSchedule extends Required<ScheduleDefinition> {
  /** The job the schedule enqueues on each tick (a job of the same name). */
  name: string;
  pattern: Cron;
}

export function resolveSchedule(name: string, definition: ScheduleDefinition): ResolvedSchedule {
  if (typeof definition.cron !== 'string') throw new Error(`Schedule "${name}": cron must be a pattern string, got ${typeof definition.cron}`);
  const timezone = definition.timezone ?? 'UTC';
  let pattern: Cron;
  try {
    pattern = new Cron(definition.cron, { paused: true, timezone });
  } catch (error) {
    throw new Error(`Schedule "${name}": invalid cron pattern "${definition.cron}": ${(error as Error).message}`);
  }
  return { name, cron: definition.cron, timezone, pattern };
}

export interface Scheduler {
  start(): void;
  stop(): void;
}

/**
 * Every instance runs the same timers; each tick is enqueued as a job keyed by the tick's
 * scheduled time, so the queue's key uniqueness (a primary-key collision in the database) lets
 * exactly one instance's enqueue through. Ticks computed from the pattern, not from when a timer
 * fired, so instances agree on the key. A tick missed while every instance was down is skipped.
 */
export function createScheduler(queue: JobQueue, schedules: readonly ResolvedSchedule[], logError: (error: unknown) => void = console.error): Scheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  let running = false;
  const arm = (schedule: ResolvedSchedule, after: Date) => {
    const next = schedule.pattern.nextRun(after);
    if (!next || !running) return;
    // setTimeout takes at most ~24.8 days; re-arm from the same point until the tick is due.
    const wait = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    timers.set(
      schedule.name,
      setTimeout(() => {
        if (Date.now() < next.getTime()) return arm(schedule, after);
        queue.enqueue(schedule.name, { tick: next.toISOString() }, { key: next.toISOString() }).catch(logError);
        arm(schedule, next);
      }, Math.max(0, wait)),
    );
  };
  return {
    start() {
      if (running) return;
      running = true;
      for (const schedule of schedules) arm(schedule, new Date());
    },
    stop() {
      running = false;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
