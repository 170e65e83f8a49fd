/** Receives one message published on a topic. Must not throw. */
export type BusListener = (message: unknown) => void;

/**
 * Carries messages between the instances of one deployment (subscriptions' change events, live
 * query invalidations). Delivery is best-effort and at most once: a subscriber that needs to know
 * whether it may have missed something listens with `onGap`.
 */
export interface EventBus {
  /**
   * Sends `message` (JSON-like: objects, arrays, strings, numbers, booleans, null, Date, bigint,
   * Uint8Array) to every listener of `topic` on every instance, this one included. Resolves once
   * handed to the transport; never rejects for lack of listeners.
   */
  publish(topic: string, message: unknown): Promise<void>;
  /**
   * Listens to `topic`; resolves with the function that stops listening once listening has
   * started (a message published after the promise resolved is delivered).
   */
  subscribe(topic: string, listener: BusListener): Promise<() => void>;
  /**
   * Called when messages may have been lost: the connection to the transport dropped and came
   * back (listeners were re-subscribed; whatever was published meanwhile is gone).
   */
  onGap(listener: () => void): () => void;
  /** Stops every listener and releases connections; later publishes reject. */
  close(): Promise<void>;
}
