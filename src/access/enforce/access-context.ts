import type { DbClient } from '../../db/index.ts';
import type { ChangeCapture, ChangeLog, Savepoints } from './change-capture.ts';
import type { ModelInfo } from './model-info.ts';
import type { ViewerRules } from '../rules/index.ts';

/** What the enforcing operations share for one request (and one transaction, when in one). */
export interface AccessContext {
  /** The raw client (or raw transaction client) the checked queries run on. */
  db: DbClient;
  rules: ViewerRules;
  info: ModelInfo;
  /** Whether FORBIDDEN errors explain which rule denied (development). */
  explain: boolean;
  /** Whether `db` is already an interactive transaction. */
  inTransaction: boolean;
  /** Which models produce change events, and the observers around writes. */
  capture: ChangeCapture;
  /** The open transaction's change log (absent outside a transaction: nothing to record there). */
  changes?: ChangeLog;
  /** The open transaction's savepoint counter and queue (absent outside a transaction). */
  savepoints?: Savepoints;
  /** Whether this is trusted code's client (`sudo()`): every rule passes, raw SQL passes through. */
  trusted?: boolean;
  /** Where an `afterCommit` observer's failure goes. */
  report: (error: unknown) => void;
}
