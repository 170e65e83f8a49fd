import { forbidden } from '../errors.ts';
import type { Datamodel } from '../db/index.ts';
import type { PendingWrite, WriteObserver } from '../events/index.ts';
import { normalizeEmail } from './email-address.ts';
import { resolveAuthModels } from './resolve-auth-models.ts';
import { revokeOnUserChange } from './revoke-on-user-change.ts';

/**
 * The write-path side of the protected User fields, for app code that writes through a viewer's
 * `ctx.db` (server functions, hooks): the generated API leaves the fields out of its inputs, and
 * this observer refuses the rest. Only writes made for a viewer are checked (trusted server code
 * runs with `viewer: null`, auth itself with the raw client):
 * - an update may not set `email` (changeEmail re-verifies it), `emailVerified` or `passwordHash`;
 * - a create may not set `emailVerified` or `passwordHash`; its `email` is normalised as signUp's.
 * `roles` stay with the schema's field rules (setUserRoles is auth's own way).
 */
export function protectAuthFields(): WriteObserver {
  return {
    beforeWrite(write: PendingWrite) {
      if (write.model !== 'User' || !write.viewer || !write.data) return;
      const refused = (write.operation === 'update' ? ['email', 'emailVerified', 'passwordHash'] : ['emailVerified', 'passwordHash']).filter(
        (field) => write.data![field] !== undefined,
      );
      if (refused.length) {
        throw forbidden(`User.${refused[0]} is written by Cairn's auth only (changeEmail, verifyEmail, resetPassword), not through ctx.db`, {
          field: refused[0],
        });
      }
      if (write.operation === 'create' && typeof write.data.email === 'string') return { ...write.data, email: normalizeEmail(write.data.email) };
    },
  };
}

/**
 * The write path's guard of auth's fields for schemas that declare the auth models, and the
 * session cache's revocation on role changes and user deletions (`revokeUser`); none otherwise.
 */
export const authWriteObserver = (datamodel: Datamodel, revokeUser?: (userId: string | number) => void): WriteObserver | undefined =>
  resolveAuthModels(datamodel) ? { ...protectAuthFields(), ...(revokeUser ? revokeOnUserChange(revokeUser) : {}) } : undefined;
