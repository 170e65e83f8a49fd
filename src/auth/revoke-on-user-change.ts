import type { ChangeEvent, WriteObserver } from '../events/index.ts';

/**
 * The write-path side of the session cache: a committed write that deletes a user or changes its
 * roles (generic `deleteUser`/`updateUser`, app code through `ctx.db` or the trusted client,
 * setUserRoles) hands the user's id to `revokeUser`, which drops the user's cached sessions on
 * every instance, so the next request looks the session (and the roles) up again.
 */
export function revokeOnUserChange(revokeUser: (userId: string | number) => void): Pick<WriteObserver, 'afterCommit'> {
  return {
    afterCommit(changes: readonly ChangeEvent[]) {
      for (const change of changes) {
        if (change.model !== 'User') continue;
        const changed = change.kind === 'deleted' || (change.kind === 'updated' && change.before?.roles !== change.after?.roles);
        const id = Object.values(change.key)[0];
        if (changed && (typeof id === 'string' || typeof id === 'number')) revokeUser(id);
      }
    },
  };
}
