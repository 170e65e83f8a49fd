import { readRuleColumns, type ResolvedRules } from '../access/index.ts';
import { foreignKeyFields, isHidden, type Datamodel } from '../db/index.ts';
import type { ChangeEvent, ChangeRow, EventBus, WriteObserver } from '../events/index.ts';
import { changeTopic, type ChangeMessage } from './change-topics.ts';

/**
 * The write path's observer that feeds realtime: after each commit, one bus message per model
 * touched (so Redis load follows the models subscribed to). Best-effort: a bus failure is logged,
 * never surfaced to the writer, whose data is already committed.
 */
export function createChangePublisher(bus: EventBus, logError: (error: unknown) => void, strip: (change: ChangeEvent) => ChangeEvent = (c) => c): WriteObserver {
  return {
    afterCommit(changes) {
      const byModel = new Map<string, ChangeEvent[]>();
      for (const change of changes) {
        let list = byModel.get(change.model);
        if (!list) byModel.set(change.model, (list = []));
        list.push(strip(change));
      }
      for (const [model, list] of byModel) {
        const message: ChangeMessage = { changes: list };
        bus.publish(changeTopic(model), message).catch(logError);
      }
    },
  };
}

/**
 * What a change event carries on the bus: `/// @hidden` columns (a password hash, a token id) are
 * left out, since no subscriber can ever read them and the bus (Redis) is outside the database.
 * A hidden column the read rules test, a key or a foreign key stays: realtime decides rules and
 * relations from the row image. Observers inside the process (hooks, the webhook outbox) get
 * the full change; this copies, never mutates.
 */
export function createBusImage(datamodel: Datamodel, rules: ResolvedRules): (change: ChangeEvent) => ChangeEvent {
  const dropped = new Map<string, ReadonlySet<string>>();
  for (const model of datamodel.models) {
    const needed = new Set([...readRuleColumns(rules, model.name), ...foreignKeyFields(model), ...(model.primaryKey?.fields ?? []), ...model.fields.filter((f) => f.isId).map((f) => f.name)]);
    const hidden = model.fields.filter((f) => f.kind !== 'object' && isHidden(f) && !needed.has(f.name)).map((f) => f.name);
    if (hidden.length) dropped.set(model.name, new Set(hidden));
  }
  const without = (row: ChangeRow | null, columns: ReadonlySet<string>) => row && Object.fromEntries(Object.entries(row).filter(([column]) => !columns.has(column)));
  return (change) => {
    const columns = dropped.get(change.model);
    return columns ? { ...change, before: without(change.before, columns), after: without(change.after, columns) } : change;
  };
}
