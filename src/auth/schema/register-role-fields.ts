import { badInput } from '../../errors.ts';
import type { DbClient } from '../../db/index.ts';
import type { Builder, Context } from '../../schema/index.ts';
import type { SessionManager } from '../create-session-manager.ts';
import type { AuthModels } from '../resolve-auth-models.ts';
import { requireRole } from '../viewer-guards.ts';

const roleName = /^[a-z][a-z0-9_-]{0,31}$/;
const maxRoles = 16;

/** setUserRoles: admins assign roles (`user` is every new user's, `admin` may do this). */
export function registerRoleFields(builder: Builder, db: DbClient, models: AuthModels, sessions: SessionManager): void {
  builder.mutationFields((t: any) => ({
    setUserRoles: t.prismaField({
      type: 'User',
      description: "Replaces a user's roles. Needs the admin role. Takes effect on the user's next request.",
      args: { userId: t.arg.id({ required: true }), roles: t.arg.stringList({ required: true }) },
      resolve: async (query: object, _root: unknown, args: { userId: string; roles: string[] }, ctx: Context) => {
        requireRole(ctx, 'admin', 'setUserRoles');
        const roles = [...new Set(args.roles.map((r) => r.trim()))];
        const bad = roles.find((r) => !roleName.test(r));
        if (bad !== undefined) throw badInput(`roles: "${bad.slice(0, 40)}" is not a role name (a-z, 0-9, _ and -, starting with a letter, at most 32)`);
        if (roles.length > maxRoles) throw badInput(`roles: at most ${maxRoles}, got ${roles.length}`);
        const id = parseUserId(models, args.userId);
        // The role check above is the authorization; the write itself is auth's, not subject to User's rules.
        await db.user.update({ where: { id }, data: { roles: roles.join(',') }, select: { id: true } });
        // Awaited (the write path's observer also revokes, without waiting): every instance has
        // dropped the user's cached sessions before this answers, so their next request has the new roles.
        await sessions.revokeUser(id);
        return ctx.db.user.findUniqueOrThrow({ ...query, where: { id } });
      },
    }),
  }));
}

function parseUserId(models: AuthModels, raw: string | number): string | number {
  const text = String(raw);
  if (models.userId === 'String') return text;
  if (!/^\d{1,15}$/.test(text)) throw badInput(`userId must be an integer id, got "${text.slice(0, 40)}"`);
  return Number(text);
}
