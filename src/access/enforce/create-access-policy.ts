import type { DbClient } from '../../db/index.ts';
import type { WriteObserver } from '../../events/index.ts';
import { createChangeCapture } from './change-capture.ts';
import { createPolicyClient, type AccessClient } from './create-policy-client.ts';
import { createModelInfo } from './model-info.ts';
import { type ResolvedRules, trustedRules, type Viewer, viewerRulesCache } from '../rules/index.ts';

export interface AccessPolicyOptions {
  /** The rules `resolveRules` read from the datamodel. */
  rules: ResolvedRules;
  /**
   * Whether FORBIDDEN errors explain themselves in `extensions.rule` (the rules involved, which
   * @@deny matched, the viewer). On in development; off in production, where the message names
   * only `Model.operation`. @default false
   */
  explain?: boolean;
  /**
   * What reacts to writes through `ctx.db` (realtime, hooks, the job outbox): called around every
   * write, in this order (see WriteObserver). Without observers, writes capture nothing and cost
   * nothing extra. @default []
   */
  observers?: readonly WriteObserver[];
  /** Where an `afterCommit` observer's failure goes (it never fails the committed write). @default console.error */
  onObserverError?: (error: unknown) => void;
}

/** The compiled rules of an app, handing out one enforcing client per request. */
export interface AccessPolicy {
  readonly rules: ResolvedRules;
  /** `ctx.db` for one request: `db` with `viewer`'s rules enforced on every model method. */
  clientFor(db: DbClient, viewer: Viewer | null): AccessClient;
  /**
   * Trusted code's client (auth, seeding, jobs): `db` with every rule passing, whose writes produce
   * change events like `ctx.db.sudo()`'s; the raw client while no observer takes change events.
   */
  sudo(db: DbClient): DbClient;
}

export function createAccessPolicy({ rules, explain = false, observers = [], onObserverError = console.error }: AccessPolicyOptions): AccessPolicy {
  const info = createModelInfo(rules.datamodel);
  const capture = createChangeCapture(info, observers);
  const rulesFor = viewerRulesCache(rules);
  return {
    rules,
    clientFor: (db, viewer) => createPolicyClient({ db, rules: rulesFor(viewer), info, explain, inTransaction: false, capture, report: onObserverError }),
    sudo(db) {
      // Decided per use, as observers may be added after this client is handed out (auth gets it at boot).
      let trusted: DbClient | undefined;
      return new Proxy(db, {
        get(target, prop) {
          const client: object = capture.active
            ? (trusted ??= createPolicyClient({ db, rules: trustedRules(rules), info, explain, inTransaction: false, capture, report: onObserverError, trusted: true }))
            : target;
          const value = Reflect.get(client, prop, client);
          return typeof value === 'function' ? value.bind(client) : value;
        },
      });
    },
  };
}
