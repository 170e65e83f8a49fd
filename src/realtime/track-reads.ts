import { delegateName, type Datamodel, type Model } from '../db/index.ts';
import type { AccessClient } from '../access/index.ts';

/**
 * `db` recording which models each call reads: the model called, and every model its `select`,
 * `include` and `where` reach through relations (one Prisma query can read many tables).
 */
export function trackReads(db: AccessClient, datamodel: Datamodel, seen: Set<string>): AccessClient {
  const byDelegate = new Map(datamodel.models.map((m) => [delegateName(m), m]));
  const byName = new Map(datamodel.models.map((m) => [m.name, m]));
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      const model = typeof prop === 'string' ? byDelegate.get(prop) : undefined;
      if (!model || !value || typeof value !== 'object') return typeof value === 'function' ? value.bind(target) : value;
      return new Proxy(value, {
        get(delegate, method) {
          const fn = Reflect.get(delegate, method, delegate);
          if (typeof fn !== 'function') return fn;
          return (...args: unknown[]) => {
            seen.add(model.name);
            collect(byName, model, args[0], seen);
            return fn.apply(delegate, args);
          };
        },
      });
    },
  });
}

const nestedKeys = ['select', 'include', 'where'];

function collect(models: Map<string, Model>, model: Model, args: unknown, seen: Set<string>): void {
  if (!args || typeof args !== 'object') return;
  for (const key of nestedKeys) walk(models, model, (args as Record<string, unknown>)[key], seen);
}

function walk(models: Map<string, Model>, model: Model, value: unknown, seen: Set<string>): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((v) => walk(models, model, v, seen));
  for (const [key, inner] of Object.entries(value)) {
    const field = model.fields.find((f) => f.name === key && f.kind === 'object');
    if (field) {
      const target = models.get(field.type)!;
      seen.add(target.name);
      if (inner && typeof inner === 'object') {
        collect(models, target, inner, seen);
        // where on a relation: { some | every | none | is | isNot: where } or the where itself.
        for (const op of ['some', 'every', 'none', 'is', 'isNot']) walk(models, target, (inner as Record<string, unknown>)[op], seen);
        walk(models, target, inner, seen);
      }
    } else if (key === 'AND' || key === 'OR' || key === 'NOT' || key === '_count' || key === 'select') {
      walk(models, model, inner, seen);
    }
  }
}
