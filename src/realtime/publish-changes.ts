import type { ChangeEvent, EventBus, WriteObserver } from '../events/index.ts';
import { changeTopic, type ChangeMessage } from './change-topics.ts';

/**
 * The write path's observer that feeds realtime: after each commit, one bus message per model
 * touched (so Redis load follows the models subscribed to). Best-effort: a bus failure is logged,
 * never surfaced to the writer, whose data is already committed.
 */
export function createChangePublisher(bus: EventBus, logError: (error: unknown) => void): WriteObserver {
  return {
    afterCommit(changes) {
      const byModel = new Map<string, ChangeEvent[]>();
      for (const change of changes) {
        let list = byModel.get(change.model);
        if (!list) byModel.set(change.model, (list = []));
        list.push(change);
      }
      for (const [model, list] of byModel) {
        const message: ChangeMessage = { changes: list };
        bus.publish(changeTopic(model), message).catch(logError);
      }
    },
  };
}
