import type { Filter } from '../access/index.ts';

/** Conjunction of compiled filters (true: no condition, false: nothing matches). */
export function and(...filters: Filter[]): Filter {
  if (filters.includes(false)) return false;
  const wheres = filters.filter((f): f is Exclude<Filter, boolean> => f !== true);
  return wheres.length === 0 ? true : wheres.length === 1 ? wheres[0]! : { AND: wheres };
}
