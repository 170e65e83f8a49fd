import type { DbClient } from '../db/index.ts';
import { createPolicyClient, type AccessClient } from './create-policy-client.ts';
import { createModelInfo } from './model-info.ts';
import type { ResolvedRules } from './resolve-rules.ts';
import { createViewerRules } from './viewer-rules.ts';
import type { Viewer } from './viewer.ts';

export interface AccessPolicyOptions {
  /** The rules `resolveRules` read from the datamodel. */
  rules: ResolvedRules;
  /**
   * Whether FORBIDDEN errors explain themselves in `extensions.rule` (the rules involved, which
   * @@deny matched, the viewer). On in development; off in production, where the message names
   * only `Model.operation`. @default false
   */
  explain?: boolean;
}

/** The compiled rules of an app, handing out one enforcing client per request. */
export interface AccessPolicy {
  readonly rules: ResolvedRules;
  /** `ctx.db` for one request: `db` with `viewer`'s rules enforced on every model method. */
  clientFor(db: DbClient, viewer: Viewer | null): AccessClient;
}

export function createAccessPolicy({ rules, explain = false }: AccessPolicyOptions): AccessPolicy {
  const info = createModelInfo(rules.datamodel);
  return {
    rules,
    clientFor: (db, viewer) => createPolicyClient({ db, rules: createViewerRules(rules, viewer), info, explain, inTransaction: false }),
  };
}
