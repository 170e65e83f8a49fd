import type { EventBus } from '../../events/index.ts';
import { changeTopic, createAsyncQueue, type AsyncQueue, type ChangeMessage } from '../../realtime/index.ts';
import type { NotificationRow } from './notification-inbox.ts';

export interface NotificationFeedOptions {
  bus: EventBus;
  /** Events buffered per subscriber before the oldest is dropped and `overflow` called. @default 1000 */
  bufferLimit?: number;
  logError?: (error: unknown) => void;
}

export type NotificationFeed = ReturnType<typeof createNotificationFeed>;

/**
 * `notificationAdded` for every subscriber on this instance from one bus listener: Notification
 * rows are written through Cairn's write path, so each insert is a `created` change event; it goes
 * to the queues of its `userId` only, found in a map (no query, no per-subscriber filter pass).
 */
export function createNotificationFeed({ bus, bufferLimit = 1000, logError = console.error }: NotificationFeedOptions) {
  const byUser = new Map<string, Set<AsyncQueue<NotificationRow>>>();
  let subscribers = 0;
  let listening: Promise<() => void> | undefined;
  const listen = () =>
    (listening ??= bus.subscribe(changeTopic('Notification'), (message) => {
      for (const change of (message as ChangeMessage).changes) {
        if (change.kind !== 'created' || !change.after) continue;
        const queues = byUser.get(String(change.after.userId));
        if (queues) for (const queue of queues) queue.push(change.after as unknown as NotificationRow);
      }
    }));

  return {
    /** Open `notificationAdded` streams on this instance (tests wait for them before writing). */
    get subscribers() {
      return subscribers;
    },
    /** The stream of `userId`'s new notifications, listening once this resolves; `overflow` is told when a slow reader lost some. */
    async subscribe(userId: string | number, overflow: () => void): Promise<AsyncIterableIterator<NotificationRow>> {
      await listen();
      const key = String(userId);
      const queue = createAsyncQueue<NotificationRow>({
        limit: bufferLimit,
        onOverflow: overflow,
        onReturn: () => {
          const set = byUser.get(key);
          if (!set?.delete(queue)) return;
          subscribers -= 1;
          if (!set.size) byUser.delete(key);
        },
      });
      let set = byUser.get(key);
      if (!set) byUser.set(key, (set = new Set()));
      set.add(queue);
      subscribers += 1;
      return queue;
    },
    async close() {
      for (const set of [...byUser.values()]) for (const queue of [...set]) await queue.return!();
      const stop = await listening?.catch((error: unknown) => void logError(error));
      stop?.();
      listening = undefined;
    },
  };
}
