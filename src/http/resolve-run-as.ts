import type { Viewer } from '../access/index.ts';
import type { Datamodel, DbClient } from '../db/index.ts';
import { forbidden, notFound } from '../errors.ts';

/** The header (or WebSocket connection param) an admin sends to act as another user. */
export const runAsHeader = 'x-cairn-run-as';

export interface RunAs {
  /** The role a viewer needs to use the header. */
  adminRole: string;
  /** The viewer (id and roles) of the user with this id, or null. */
  findViewer(id: string): Promise<Viewer | null>;
}

/**
 * `x-cairn-run-as: <userId>` on a request from an admin: the request runs as that user, with that
 * user's roles, so the admin sees exactly what they would (rules included). Anyone else sending
 * it is FORBIDDEN; an unknown id is NOT_FOUND.
 */
export async function resolveRunAs(runAs: RunAs | undefined, viewer: Viewer | null, request: Request, connectionParams?: Record<string, unknown>): Promise<Viewer | null> {
  const raw = request.headers.get(runAsHeader) ?? connectionParams?.[runAsHeader];
  if (raw == null || raw === '') return viewer;
  if (!runAs || !viewer?.roles.includes(runAs.adminRole)) {
    throw forbidden(`${runAsHeader} needs the ${runAs?.adminRole ?? 'admin'} role`);
  }
  const target = await runAs.findViewer(String(raw));
  if (!target) throw notFound(`${runAsHeader}: no user with id ${String(raw).slice(0, 40)}`);
  return target;
}

/** Looks viewers up in the app's User model (`roles` comma-separated, as auth stores them); undefined without one. */
export function userViewerLookup(db: DbClient, datamodel: Datamodel, adminRole: string): RunAs | undefined {
  const user = datamodel.models.find((m) => m.name === 'User');
  const id = user?.fields.find((f) => f.isId);
  if (!user || !id || !user.fields.some((f) => f.name === 'roles')) return undefined;
  return {
    adminRole,
    async findViewer(raw) {
      if (id.type === 'Int' && !/^\d{1,15}$/.test(raw)) return null;
      const row = await db.user.findUnique({ where: { [id.name]: id.type === 'Int' ? Number(raw) : raw }, select: { [id.name]: true, roles: true } });
      if (!row) return null;
      const roles = Array.isArray(row.roles) ? row.roles : String(row.roles ?? '').split(',').map((r: string) => r.trim()).filter(Boolean);
      return { id: row[id.name], roles };
    },
  };
}
