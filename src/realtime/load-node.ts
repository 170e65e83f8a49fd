import type { ModelInfo, Row, ViewerRules, Where } from '../access/index.ts';
import type { Model } from '../db/index.ts';
import { encodeMessage, type ChangeEvent } from '../events/index.ts';
import type { Context } from '../schema/index.ts';
import type { ChangeKindSeen } from './classify-change.ts';
import { linkOf, type ProbeCache, type RowMatcher } from './match-row.ts';

/** Per-event memo shared by every local subscriber: database answers and loaded payloads. */
export interface EventScope {
  probes: ProbeCache;
  nodes: Map<string, Promise<Row | null>>;
  /** The payload object per group and kind: subscribers that share it share its execution too. */
  payloads: Map<string, unknown>;
}

type Query = { select?: Record<string, unknown>; include?: Record<string, unknown> };

export interface NodeLoader {
  /**
   * The payload row for one subscriber: the event's row image (after the change; before it for
   * DELETED and LEFT) with the subscriber's field rules applied, and the relations its selection
   * (`query`, from the operation) asks for read through the subscriber's own client, so their
   * rules hold as in any query. Subscribers with the same viewer and selection share one load.
   */
  load(kind: ChangeKindSeen, event: ChangeEvent, query: Query, ctx: Context, rules: ViewerRules, scope: EventScope, group: string): Promise<Row | null>;
  /** The key subscribers share a load by: same viewer, same selection (computed once per subscription). */
  groupOf(ctx: Context, query: Query): string;
}

export function createNodeLoader(info: ModelInfo, matcher: RowMatcher): NodeLoader {
  const build = async (model: Model, image: Row, query: Query, ctx: Context, rules: ViewerRules, scope: EventScope) => {
    const row: Row = { ...image };
    for (const field of rules.ruledFields(model.name, 'read')) {
      const allowed = rules.evaluateField(model.name, field, 'read', image) ?? (await matcher.matches(model, rules.field(model.name, field, 'read'), image, scope.probes));
      if (!allowed) row[field] = null;
    }
    const selection = query.select ?? query.include ?? {};
    const loads: Promise<void>[] = [];
    for (const [key, value] of Object.entries(selection)) {
      if (key === '_count' && value && typeof value === 'object') {
        loads.push(countRelations(model, image, (value as { select?: Record<string, unknown> }).select ?? {}, ctx).then((counts) => void (row._count = counts)));
        continue;
      }
      const relation = info.relation(model, key);
      if (!relation || !value) continue;
      const nested = (value === true ? {} : value) as Query & { where?: Where };
      const link = linkOf(info, model, relation, image);
      const delegate = (ctx.db as any)[info.delegate(relation.target)];
      loads.push(
        (relation.field.isList
          ? link ? delegate.findMany({ ...nested, where: { AND: [link, nested.where ?? {}] } }) : Promise.resolve([])
          : link ? delegate.findFirst({ ...nested, where: link }) : Promise.resolve(null)
        ).then((related: unknown) => void (row[key] = related)),
      );
    }
    await Promise.all(loads);
    return row;
  };

  const countRelations = async (model: Model, image: Row, select: Record<string, unknown>, ctx: Context) => {
    const counts: Record<string, number> = {};
    for (const [key, value] of Object.entries(select)) {
      const relation = info.relation(model, key);
      if (!relation) continue;
      const link = linkOf(info, model, relation, image);
      const where = (value && typeof value === 'object' ? (value as { where?: Where }).where : undefined) ?? {};
      counts[key] = link ? await (ctx.db as any)[info.delegate(relation.target)].count({ where: { AND: [link, where] } }) : 0;
    }
    return counts;
  };

  return {
    groupOf: (ctx, query) => `${encodeMessage(ctx.viewer)}:${encodeMessage(query)}`,
    load(kind, event, query, ctx, rules, scope, group) {
      const model = info.model(event.model);
      const image = kind === 'DELETED' || kind === 'LEFT' ? event.before : event.after;
      if (!image) return Promise.resolve(null);
      const id = `${kind === 'DELETED' || kind === 'LEFT' ? 'before' : 'after'}:${group}`;
      let node = scope.nodes.get(id);
      if (!node) scope.nodes.set(id, (node = build(model, image, query, ctx, rules, scope)));
      return node;
    },
  };
}
