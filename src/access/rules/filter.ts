import type { Model } from '../../db/index.ts';

/** A Prisma `where` object. */
export type Where = Record<string, unknown>;
/** A compiled rule: rows matching a `Where`, or every row (`true`) or none (`false`). */
export type Filter = Where | boolean;

/**
 * A where no row of `model` matches. Prisma reads `OR: []` as false only at the top of a where
 * (nested in AND it is dropped), so false is spelled as a key in an empty list, which holds anywhere.
 */
export function falseWhere(model: Model): Where {
  const key = model.primaryKey?.fields[0] ?? model.fields.find((f) => f.isId || f.isUnique)?.name ?? model.fields.find((f) => f.kind !== 'object')!.name;
  return { [key]: { in: [] } };
}

export const toWhere = (filter: Filter, model: Model): Where => (filter === true ? {} : filter === false ? falseWhere(model) : filter);

export function and(...filters: Filter[]): Filter {
  if (filters.includes(false)) return false;
  const wheres = filters.filter((f): f is Where => f !== true);
  return wheres.length === 0 ? true : wheres.length === 1 ? wheres[0]! : { AND: wheres };
}

export function or(...filters: Filter[]): Filter {
  if (filters.includes(true)) return true;
  const wheres = filters.filter((f): f is Where => f !== false);
  return wheres.length === 0 ? false : wheres.length === 1 ? wheres[0]! : { OR: wheres };
}

/**
 * `where` (which may hold unique keys that must stay at the top, as in `findUnique`) narrowed by
 * more conditions, added under its `AND`.
 */
export function narrow(model: Model, where: Where | undefined, ...filters: Filter[]): Where {
  const extra = filters.filter((f) => f !== true).map((f) => toWhere(f, model));
  if (!extra.length) return where ?? {};
  const existing = where?.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND];
  return { ...where, AND: [...existing, ...extra] };
}
