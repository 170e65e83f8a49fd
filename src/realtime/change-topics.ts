import type { ChangeEvent } from '../events/index.ts';

/** The bus topic carrying a model's change events. */
export const changeTopic = (model: string) => `change:${model}`;

/** One bus message: the changes one commit made to one model, in write order. */
export interface ChangeMessage {
  changes: ChangeEvent[];
}
