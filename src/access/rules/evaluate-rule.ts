import { coerceValue, NOTHING } from './coerce-value.ts';
import { compareValues, listValues, valueOf } from './compile-rule.ts';
import { isOrdering, type Cond } from './cond.ts';
import type { Viewer } from './viewer.ts';

// Types whose values compare the same in JavaScript and in the database (strings only for
// equality: ordering them depends on the database's collation).
const plainTypes = new Set(['String', 'Int', 'Float', 'Boolean']);
const orderedTypes = new Set(['Int', 'Float']);

/**
 * A rule against values known before a write (create data with defaults filled in):
 * true or false when the values decide it, undefined when only the database can (relation
 * paths, collections, values not given or of types compared differently in SQL).
 */
export function evaluateRule(cond: Cond, viewer: Viewer | null, row: Record<string, unknown>): boolean | undefined {
  switch (cond.kind) {
    case 'const':
      return cond.value;
    case 'and':
    case 'or': {
      const results = cond.items.map((c) => evaluateRule(c, viewer, row));
      const decisive = cond.kind === 'and' ? false : true;
      if (results.includes(decisive)) return decisive;
      return results.includes(undefined) ? undefined : !decisive;
    }
    case 'collection':
      return undefined;
    case 'compare': {
      const right = valueOf(cond.right, viewer);
      if (cond.left.kind === 'relation') return undefined;
      if (cond.left.kind !== 'field') return compareValues(cond.op, valueOf(cond.left, viewer), right, cond.orNull);
      const known = knownValue(cond.left, row);
      if (known === undefined) return undefined;
      if (isOrdering(cond.op) && known !== null && !orderedTypes.has(cond.left.field.type)) return undefined;
      return compareValues(cond.op, known, coerceValue(cond.left.field, right), cond.orNull);
    }
    case 'in': {
      const { item, list, negated } = cond;
      if (list.kind === 'field' || (item.kind === 'field' && item.path.length)) return undefined;
      const value = item.kind === 'field' ? knownValue(item, row) : valueOf(item, viewer);
      if (value === undefined) return undefined;
      if (value === NOTHING || value === null) return negated;
      return (listValues(list, viewer) ?? []).some((v) => compareValues('==', value, v)) !== negated;
    }
  }
}

function knownValue(operand: Extract<Cond, { kind: 'compare' }>['left'] & { kind: 'field' }, row: Record<string, unknown>): unknown {
  if (operand.path.length) return undefined;
  const value = row[operand.field.name];
  if (value === undefined || value === null) return value;
  return operand.field.kind === 'enum' || plainTypes.has(operand.field.type) ? value : undefined;
}
