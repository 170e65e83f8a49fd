import { createSubscriberRules, type ResolvedRules, type Viewer, type Where } from '../../access/index.ts';
import type { DbClient } from '../../db/index.ts';
import { encodeMessage } from '../../events/index.ts';
import { invertRule, viewerPlaceholder } from './invert-rule.ts';
import type { Audience } from './notify-input.ts';

type UserId = string | number;

/** One page of an audience: the users in it, and where the next page starts (null: this was the last). */
export interface AudiencePage {
  users: UserId[];
  next: UserId | number | null;
}

export interface AudienceResolver {
  page(to: Audience, cursor: UserId | null, size: number): Promise<AudiencePage>;
}

const parseRoles = (raw: unknown): string[] => (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(',').map((r) => r.trim()).filter(Boolean));

/**
 * Audiences, page by page. `users`: the listed ids that exist. `readersOf`: users in id order,
 * each judged by the same compiled read rules the API enforces — decided from the row's columns
 * and the user's roles in memory where the rule allows (`ViewerRules.evaluate`), otherwise asked of
 * the database in one query per page and roles class (`invertRule`: the rule compiled once with a
 * placeholder viewer, its relation conditions turned into filtered selects naming the users they
 * admit), or, for rule shapes that cannot be inverted, once per distinct compiled condition in one
 * batch.
 */
export function createAudienceResolver(db: DbClient, rules: ResolvedRules): AudienceResolver {
  const subscriber = createSubscriberRules(rules);
  const { info } = subscriber;
  const userModel = rules.datamodel.models.find((m) => m.name === 'User');
  if (!userModel) throw new Error('Notifications need a User model (the audience is its rows)');
  const idField = userModel.fields.find((f) => f.isId)!.name;
  const hasRoles = userModel.fields.some((f) => f.name === 'roles' && f.kind === 'scalar');
  const users = (db as any)[info.delegate(userModel)];
  const placeholder = viewerPlaceholder(userModel.fields.find((f) => f.isId)!.type);
  const placeholderJson = JSON.stringify(placeholder);

  const listed = async (ids: readonly UserId[], cursor: UserId | null, size: number): Promise<AudiencePage> => {
    const offset = typeof cursor === 'number' ? cursor : 0;
    const slice = [...ids].slice(offset, offset + size);
    const found: Record<string, UserId>[] = slice.length ? await users.findMany({ where: { [idField]: { in: slice } }, select: { [idField]: true } }) : [];
    const existing = new Set(found.map((row) => row[idField]));
    return { users: slice.filter((id) => existing.has(id)), next: offset + size < ids.length ? offset + size : null };
  };

  return {
    async page(to, cursor, size) {
      if ('users' in to) return listed(to.users, cursor, size);
      const { model: modelName, where } = to.readersOf;
      const model = rules.datamodel.models.find((m) => m.name === modelName)!;
      const conditions: Where[] = [];
      if (cursor !== null) conditions.push({ [idField]: { gt: cursor } });
      if (to.among) conditions.push({ [idField]: { in: [...to.among.users] } });
      const candidates: Record<string, unknown>[] = await users.findMany({
        where: conditions.length ? { AND: conditions } : {},
        orderBy: { [idField]: 'asc' },
        take: size,
        select: { [idField]: true, ...(hasRoles && { roles: true }) },
      });
      const next = candidates.length === size ? (candidates.at(-1)![idField] as UserId) : null;
      // Read per page: a row unpublished or deleted mid-fan-out stops reaching anyone new.
      const delegate = (db as any)[info.delegate(model)];
      const row = await delegate.findUnique({ where, select: info.scalarSelect(model) });
      if (!row) return { users: [], next: null };
      const readers: UserId[] = [];
      const undecided = new Map<string, { where: Where; users: UserId[] }>();
      // Users the row's columns cannot decide, by roles: one template rule per roles class.
      const classes = new Map<string, { roles: string[]; template: string; users: UserId[]; filters: Where[] }>();
      for (const candidate of candidates) {
        const viewer: Viewer = { id: candidate[idField] as UserId, roles: hasRoles ? parseRoles(candidate.roles) : [] };
        const viewerRules = subscriber.forViewer(viewer);
        const verdict = viewerRules.evaluate(model.name, 'read', row);
        if (verdict === true) readers.push(viewer.id);
        if (verdict !== undefined) continue;
        const filter = viewerRules.model(model.name, 'read');
        if (filter === true) readers.push(viewer.id);
        if (typeof filter !== 'object') continue;
        const rolesKey = [...viewer.roles].sort().join(',');
        let group = classes.get(rolesKey);
        if (!group) {
          const template = subscriber.forViewer({ id: placeholder, roles: viewer.roles }).model(model.name, 'read');
          classes.set(rolesKey, (group = { roles: viewer.roles, template: typeof template === 'object' ? JSON.stringify(template) : '', users: [], filters: [] }));
        }
        group.users.push(viewer.id);
        group.filters.push(filter);
      }
      for (const group of classes.values()) {
        // The template stands for every user of the class only if each one's rule is it with their id in place.
        const template = group.template;
        const exact = template !== '' && group.users.every((u, i) => JSON.stringify(group.filters[i]) === template.split(placeholderJson).join(JSON.stringify(u)));
        const inverted = exact ? invertRule(info, model, JSON.parse(template) as Where, placeholder, group.users) : null;
        if (inverted) {
          const loaded = await delegate.findUnique({ where, select: { ...info.keySelect(model), ...inverted.select } });
          if (loaded) readers.push(...inverted.readers(loaded));
          continue;
        }
        group.users.forEach((u, i) => {
          const id = encodeMessage(group.filters[i]!);
          const same = undecided.get(id) ?? { where: group.filters[i]!, users: [] };
          same.users.push(u);
          undecided.set(id, same);
        });
      }
      if (undecided.size) {
        const groups = [...undecided.values()];
        const keyWhere = info.keyFilter(model, row);
        const answers: unknown[] = await (db as any).$transaction(groups.map((g: { where: Where }) => delegate.findFirst({ where: { AND: [keyWhere, g.where] }, select: info.keySelect(model) })));
        groups.forEach((g, i) => answers[i] && readers.push(...g.users));
      }
      const order = new Map(candidates.map((c, i) => [c[idField], i]));
      return { users: readers.sort((a, b) => order.get(a)! - order.get(b)!), next };
    },
  };
}
