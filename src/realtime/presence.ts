import { randomUUID } from 'node:crypto';
import type { PresenceStore } from './presence-store.ts';

/** Who is online: signed-in users with at least one open subscription or live query on any instance. */
export interface Presence {
  /** Those of `userIds` online now. Unknown (the store unreachable) counts as offline, so pushes still go out. */
  online<T extends string | number>(userIds: readonly T[]): Promise<Set<T>>;
}

export interface PresenceOptions {
  store: PresenceStore;
  /** CAIRN_PRESENCE_TTL_MS: a user offline everywhere (their instance gone) drops out within this. */
  ttlMs: number;
  /** The users with an open streaming operation on this instance (the operation registry's viewers). */
  local(): Iterable<string>;
  isLocal(userId: string): boolean;
  logError?: (error: unknown) => void;
  now?: () => number;
}

export interface PresenceTracker extends Presence {
  /** The registry's viewer count went from 0 to 1 (`true`) or from 1 to 0 (`false`). */
  changed(userId: string, online: boolean): void;
  /** Releases this instance's users and closes the store. */
  close(): Promise<void>;
}

/**
 * This instance's part of presence: it tells the store at once when a user comes online or goes
 * offline here, and refreshes its users' holds every ttl/3, so a crashed instance's users lapse
 * within the TTL. Its own users are answered from the registry, without asking the store.
 */
export function createPresence(options: PresenceOptions): PresenceTracker {
  const { store, ttlMs } = options;
  const now = options.now ?? Date.now;
  const logError = options.logError ?? console.error;
  const instance = randomUUID();
  let closed = false;
  // Store calls of one instance go out in order (one connection), so a quick online → offline → online ends online.
  const send = (write: Promise<void>) => void write.catch(logError);
  const refresh = () => {
    const users = [...options.local()];
    if (users.length && !closed) send(store.hold(instance, users, now() + ttlMs));
  };
  const timer = setInterval(refresh, Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    changed(userId, online) {
      if (closed) return;
      send(online ? store.hold(instance, [userId], now() + ttlMs) : store.release(instance, [userId]));
    },
    async online(userIds) {
      const found = new Set(userIds.filter((id) => options.isLocal(String(id))));
      const rest = userIds.filter((id) => !found.has(id));
      if (!rest.length || closed) return found;
      try {
        const elsewhere = await store.online(rest.map(String), now());
        for (const id of rest) if (elsewhere.has(String(id))) found.add(id);
      } catch (error) {
        logError(error);
      }
      return found;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await store.release(instance, [...options.local()]).catch(logError);
      await store.close();
    },
  };
}
