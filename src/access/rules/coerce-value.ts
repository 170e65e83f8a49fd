import type { Field } from '../../db/index.ts';

/** No row value equals this: an anonymous viewer's `auth().id`, or an id of the wrong shape. */
export const NOTHING = Symbol('nothing');

/**
 * A rule value as the field's type: viewer ids arrive as strings or numbers whatever the column
 * type, DateTime literals as strings. Returns NOTHING when the value cannot be of that type.
 */
export function coerceValue(field: Field, value: unknown): unknown {
  if (value === null || value === NOTHING) return value;
  switch (field.type) {
    case 'Int':
    case 'Float':
    case 'Decimal':
      if (typeof value === 'number') return value;
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NOTHING;
    case 'BigInt':
      if (typeof value === 'bigint') return value;
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)) ? BigInt(value) : NOTHING;
    case 'String':
      return typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
    case 'DateTime':
      return typeof value === 'string' ? new Date(value) : value;
    default:
      return value;
  }
}
