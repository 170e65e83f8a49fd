/**
 * Change capture's contract: the events every committed write produces (see change-event.ts),
 * and the bus that carries them between instances.
 */
export type { ChangeEvent, ChangeKind, ChangeRow, ChangeListener, PendingWrite, WriteObserver } from './change-event.ts';
