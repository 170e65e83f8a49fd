/**
 * Freezes `value` and everything reachable from it, for objects shared across requests (planned
 * queries, compiled rule filters): a consumer that modified one would throw instead of changing
 * what later requests see. An object already frozen is taken as frozen all the way down (it came
 * from here), which also keeps shared subtrees from being walked twice.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
