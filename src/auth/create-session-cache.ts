import { randomUUID } from 'node:crypto';
import type { EventBus } from '../events/index.ts';
import type { SessionRecord, SessionUser } from './session-store.ts';

/** The bus topic every instance's session cache listens on (Redis channel `<prefix>auth:sessions`). */
export const sessionRevocationTopic = 'auth:sessions';

export interface SessionCacheSettings {
  /** How long a looked-up session is believed without asking the store again. @default 5000 */
  ttlMs?: number;
  /** Entries kept at most; the oldest goes first. @default 10000 */
  maxEntries?: number;
}

export interface SessionCacheOptions extends SessionCacheSettings {
  bus: EventBus;
  now: () => Date;
  logError: (error: unknown) => void;
  /** How long a revocation waits for its own message to come back over the bus. @default 2000 */
  echoTimeoutMs?: number;
}

interface Entry {
  session: SessionRecord;
  user: SessionUser;
  /** Epoch ms after which the entry is not used: a few seconds, never past the session's expiry. */
  until: number;
}

/** A revocation on the bus: one session (its id, the token hash) or every session of a user. */
interface RevocationMessage {
  sessionId?: string;
  userId?: string;
  /** Lets the publishing instance see its own message arrive (see `revoke`). */
  nonce: string;
}

export type SessionCache = ReturnType<typeof createSessionCache>;

/**
 * Remembers, for a few seconds, the sessions the store found, keyed by token hash, so a
 * signed-in request on a hit sends no SQL for its session. Only what the store returned for a
 * live session goes in (a forged or unknown token is never cached: there is no negative entry).
 *
 * Revocation reaches every instance through the event bus: whoever deletes sessions or changes a
 * user's roles publishes, every instance (this one included) drops the entries at once. A
 * revocation resolves after its own message came back over the bus (and one more event-loop turn):
 * the transport has then handed it to every other subscriber too, so the request that signed out
 * is answered only after the other instances were told. Races with a lookup in flight are closed by a generation counter:
 * a lookup that started before any revocation arrived does not fill the cache. Until the bus
 * subscription is live, and while the bus may have lost messages (`onGap`), nothing is cached.
 */
export function createSessionCache(options: SessionCacheOptions) {
  const { bus, now, logError } = options;
  const ttlMs = options.ttlMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  const echoTimeoutMs = options.echoTimeoutMs ?? 2000;
  const entries = new Map<string, Entry>();
  const echoes = new Map<string, () => void>();
  let generation = 0;
  let listening = false;
  let closed = false;

  const dropUser = (userId: string) => {
    for (const [id, entry] of entries) if (String(entry.user.id) === userId) entries.delete(id);
  };
  const apply = (message: RevocationMessage) => {
    generation++;
    if (message.sessionId) entries.delete(message.sessionId);
    if (message.userId !== undefined) dropUser(message.userId);
    echoes.get(message.nonce)?.();
  };
  const stopGap = bus.onGap(() => {
    generation++;
    entries.clear();
  });
  const subscribed = bus.subscribe(sessionRevocationTopic, (message) => apply(message as RevocationMessage)).then(
    (stop) => {
      if (closed) stop();
      else listening = true;
      return stop;
    },
    (error) => {
      logError(error);
      return () => {};
    },
  );

  async function revoke(target: Omit<RevocationMessage, 'nonce'>): Promise<void> {
    const message: RevocationMessage = { ...target, nonce: randomUUID() };
    // This instance forgets at once; the bus tells the others (also while this one's own
    // subscription is not live yet: it caches nothing then, but the others may).
    apply(message);
    if (closed) return;
    let timer: NodeJS.Timeout | undefined;
    const echoed = listening
      ? new Promise<void>((resolve) => {
          echoes.set(message.nonce, resolve);
          timer = setTimeout(resolve, echoTimeoutMs);
        })
      : undefined;
    try {
      await bus.publish(sessionRevocationTopic, message);
      await echoed;
      // The echo may be read from this instance's socket in the same event-loop turn as, but
      // before, another instance's (in one process, or behind the same loop): one more turn lets
      // every socket Redis wrote to in that flush be read before the revoking request answers.
      await new Promise((resolve) => setImmediate(resolve));
    } catch (error) {
      // The store no longer has the sessions; other instances' entries lapse within `ttlMs`.
      logError(error);
    } finally {
      clearTimeout(timer);
      echoes.delete(message.nonce);
    }
  }

  return {
    ttlMs,
    /** Resolves once revocations from the bus are heard (until then nothing is cached). */
    ready: async (): Promise<void> => void (await subscribed),
    /** The counter a lookup reads before asking the store and hands back to `set`. */
    generation: () => generation,

    /** A live cached session (copies: callers may change them), or undefined. */
    get(sessionId: string): { session: SessionRecord; user: SessionUser } | undefined {
      const entry = entries.get(sessionId);
      if (!entry) return undefined;
      if (now().getTime() >= entry.until) {
        entries.delete(sessionId);
        return undefined;
      }
      return { session: { ...entry.session }, user: { ...entry.user, roles: [...entry.user.roles] } };
    },

    /** Caches what the store found for a live session, unless a revocation arrived since `seenGeneration`. */
    set(found: { session: SessionRecord; user: SessionUser }, seenGeneration: number): void {
      if (!listening || closed || seenGeneration !== generation || ttlMs <= 0) return;
      const until = Math.min(now().getTime() + ttlMs, found.session.expiresAt.getTime());
      if (until <= now().getTime()) return;
      entries.delete(found.session.id);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(found.session.id, { session: { ...found.session }, user: { ...found.user, roles: [...found.user.roles] }, until });
    },

    /** After a renewal: the entry carries the new expiry (its own lifetime stays as it was). */
    renewed(sessionId: string, expiresAt: Date): void {
      const entry = entries.get(sessionId);
      if (entry) entry.session = { ...entry.session, expiresAt };
    },

    /** Forgets one session here only (it expired: nobody else can use it either). */
    forget(sessionId: string): void {
      entries.delete(sessionId);
    },

    /** Drops one session on every instance; resolves once the bus carried the message. */
    revokeSession: (sessionId: string) => revoke({ sessionId }),
    /** Drops every session of a user (signed out everywhere, deleted, roles changed) on every instance. */
    revokeUser: (userId: string | number) => revoke({ userId: String(userId) }),

    /** Whether a session is cached now (tests). */
    has: (sessionId: string) => entries.has(sessionId),
    get size() {
      return entries.size;
    },

    async close(): Promise<void> {
      closed = true;
      listening = false;
      entries.clear();
      stopGap();
      (await subscribed)();
    },
  };
}
