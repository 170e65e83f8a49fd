import type { BusListener, EventBus } from './event-bus.ts';

/**
 * The default bus: one process, delivery in a microtask after `publish` (so a publisher never
 * runs its listeners inside its own call stack). Nothing is lost, so `onGap` never fires.
 */
export function createMemoryEventBus(): EventBus {
  const topics = new Map<string, Set<BusListener>>();
  let closed = false;
  return {
    async publish(topic, message) {
      if (closed) throw new Error('The event bus is closed');
      const listeners = topics.get(topic);
      if (!listeners) return;
      await Promise.resolve();
      for (const listener of [...listeners]) listener(message);
    },
    async subscribe(topic, listener) {
      if (closed) throw new Error('The event bus is closed');
      let listeners = topics.get(topic);
      if (!listeners) topics.set(topic, (listeners = new Set()));
      // A wrapper per call, so the same function subscribed twice is two subscriptions.
      const entry: BusListener = (message) => listener(message);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
        if (!listeners.size && topics.get(topic) === listeners) topics.delete(topic);
      };
    },
    onGap: () => () => {},
    async close() {
      closed = true;
      topics.clear();
    },
  };
}
