import { CairnError, rateLimited, unauthenticated } from '../errors.ts';
import type { Context, Viewer } from '../schema/index.ts';
import { Handle } from './operation-stream.ts';

export { Handle, missedEventsResult } from './operation-stream.ts';

export interface RegistryLimits {
  /** Streaming operations (subscriptions and live queries) one connection may hold open. */
  perConnection: number;
  /** Streaming operations one signed-in viewer may hold open across connections on this instance. */
  perViewer: number;
}

/** One open streaming operation: its context, and the stream the client reads. */
export interface OpenOperation {
  readonly ctx: Context;
  /** Tell this operation that events may have been missed (live queries re-run instead). */
  gap(): void;
  /** End the operation with an error result (e.g. the session was revoked). */
  fail(error: CairnError): void;
  /** Live queries re-run on a gap instead of sending the signal. */
  onGap?: () => void;
}

/**
 * Every streaming operation open on this instance: limits, the missed-events signal, revocation
 * and shutdown act on them here, the same for every transport.
 */
export class OperationRegistry {
  readonly #open = new Set<Handle>();
  readonly #byContext = new WeakMap<object, Handle>();
  readonly #perConnection = new Map<object, number>();
  readonly #perViewer = new Map<string, number>();
  readonly #limits: RegistryLimits;
  readonly #drained: (() => void)[] = [];
  readonly #onViewer: (viewer: string, online: boolean) => void;
  /** `onViewer`: a viewer's first operation opened here (`true`) or their last one ended (`false`): presence. */
  constructor(limits: RegistryLimits, onViewer: (viewer: string, online: boolean) => void = () => {}) {
    this.#limits = limits;
    this.#onViewer = onViewer;
  }

  /** Signed-in viewers with at least one open operation here. */
  viewers(): IterableIterator<string> {
    return this.#perViewer.keys();
  }

  hasViewer(viewer: string): boolean {
    return this.#perViewer.has(viewer);
  }

  get size(): number {
    return this.#open.size;
  }

  /** Registers an operation; throws RATE_LIMITED when a limit is reached. */
  open(ctx: Context): Handle {
    const connection = connectionOf(ctx);
    const viewer = ctx.viewer ? String(ctx.viewer.id) : undefined;
    if ((this.#perConnection.get(connection) ?? 0) >= this.#limits.perConnection) {
      throw rateLimited(`Too many open subscriptions on this connection (CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION = ${this.#limits.perConnection})`, 1);
    }
    if (viewer && (this.#perViewer.get(viewer) ?? 0) >= this.#limits.perViewer) {
      throw rateLimited(`Too many open subscriptions for this user (CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER = ${this.#limits.perViewer})`, 1);
    }
    this.#perConnection.set(connection, (this.#perConnection.get(connection) ?? 0) + 1);
    if (viewer) {
      const count = this.#perViewer.get(viewer) ?? 0;
      this.#perViewer.set(viewer, count + 1);
      if (!count) this.#onViewer(viewer, true);
    }
    const handle = new Handle(ctx, this, connection, viewer);
    this.#open.add(handle);
    this.#byContext.set(ctx, handle);
    return handle;
  }

  /** Called once by `handle` when its stream is over (read to its end, or returned by the transport). */
  release(handle: Handle): void {
    if (!this.#open.delete(handle)) return;
    if (!this.#open.size) for (const resolve of this.#drained.splice(0)) resolve();
    decrement(this.#perConnection, handle.connection);
    if (handle.viewerKey !== undefined) {
      decrement(this.#perViewer, handle.viewerKey);
      if (!this.#perViewer.has(handle.viewerKey)) this.#onViewer(handle.viewerKey, false);
    }
  }

  /** The open operation running with `ctx`. */
  find(ctx: Context): Handle | undefined {
    return this.#byContext.get(ctx);
  }

  /** Every operation: events may have been missed (the bus reconnected). */
  gapAll(): void {
    for (const handle of [...this.#open]) handle.gap();
  }

  /** Operations of `viewerId` (every one when omitted), grouped by connection. */
  byConnection(viewerId?: string | number): Map<object, Handle[]> {
    const groups = new Map<object, Handle[]>();
    for (const handle of this.#open) {
      if (viewerId !== undefined && String(handle.ctx.viewer?.id) !== String(viewerId)) continue;
      const key = connectionOf(handle.ctx);
      groups.set(key, [...(groups.get(key) ?? []), handle]);
    }
    return groups;
  }

  /**
   * Completes every open operation (shutdown) and resolves once each transport has taken its
   * completion (so `complete` reaches clients before their connections close), or after `graceMs`.
   */
  async closeAll(graceMs = 2000): Promise<void> {
    if (!this.#open.size) return;
    const drained = new Promise<void>((resolve) => this.#drained.push(resolve));
    for (const handle of [...this.#open]) handle.complete();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
}

/** The WebSocket's upgrade request is one object per connection; an SSE request is its own. */
const connectionOf = (ctx: Context): object => ctx.request;

function decrement(map: Map<unknown, number>, key: unknown) {
  const n = (map.get(key) ?? 1) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

/** Whether a re-resolved viewer is still the one the operation started with. */
export function sameViewer(a: Viewer | null, b: Viewer | null): boolean {
  if (!a || !b) return a === b;
  return String(a.id) === String(b.id) && [...a.roles].sort().join(',') === [...b.roles].sort().join(',');
}

export const sessionEnded = () => unauthenticated('The session of this subscription ended (signed out, revoked or expired, or its roles changed); subscribe again.');
