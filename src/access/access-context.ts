import type { DbClient } from '../db/index.ts';
import type { ModelInfo } from './model-info.ts';
import type { ViewerRules } from './viewer-rules.ts';

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
}
