import type { Field } from '../../db/index.ts';
import type { CompareOp } from './ast.ts';
import { coerceValue, NOTHING } from './coerce-value.ts';
import { and, or, type Filter, type Where } from './filter.ts';
import { isOrdering, type Cond, type Operand } from './cond.ts';
import type { Viewer } from './viewer.ts';

const prismaOrdering: Record<string, string> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

/**
 * A rule for one viewer as a Prisma filter. Everything about the viewer is decided here, so the
 * result is `true`/`false` when the rule does not depend on the row. Nulls follow two-valued
 * logic (`null == null`, `null != "x"`, ordering with null is false) and a relation path through a
 * missing row reads as null; an anonymous viewer's `auth().x` equals nothing.
 */
export function compileRule(cond: Cond, viewer: Viewer | null): Filter {
  switch (cond.kind) {
    case 'const':
      return cond.value;
    case 'and':
      return and(...cond.items.map((c) => compileRule(c, viewer)));
    case 'or':
      return or(...cond.items.map((c) => compileRule(c, viewer)));
    case 'collection': {
      const inner = compileRule(cond.where, viewer);
      const relation = cond.relation.name;
      const quantified: Filter =
        cond.quantifier === 'some'
          ? inner === false ? false : { [relation]: { some: inner === true ? {} : inner } }
          : cond.quantifier === 'every'
            ? inner === true ? true : inner === false ? { [relation]: { none: {} } } : { [relation]: { every: inner } }
            : inner === false ? true : { [relation]: { none: inner === true ? {} : inner } };
      // A constant here is the same through any path: `every`/`none` hold for a missing row too.
      return typeof quantified === 'boolean' ? quantified : throughPath(cond.path, quantified, cond.quantifier !== 'some');
    }
    case 'compare':
      return compare(cond, viewer);
    case 'in':
      return membership(cond, viewer);
  }
}

function compare(cond: Extract<Cond, { kind: 'compare' }>, viewer: Viewer | null): Filter {
  const { op, left, orNull } = cond;
  const right = valueOf(cond.right, viewer);
  if (left.kind === 'relation') {
    const last = left.path.at(-1)!;
    const isNull = op === '==';
    const inner: Filter = last.isRequired ? !isNull : { [last.name]: isNull ? { is: null } : { isNot: null } };
    return throughPath(left.path.slice(0, -1), inner, isNull);
  }
  if (left.kind !== 'field') return compareValues(op, valueOf(left, viewer), right, orNull);
  const { field, path } = left;
  const value = coerceValue(field, right);
  if (value === NOTHING) return compareValues(op, NOTHING, null, orNull);
  const name = field.name;
  let where: Where;
  let trueOnNull: boolean;
  if (op === '==') {
    where = { [name]: value };
    trueOnNull = value === null;
  } else if (op === '!=') {
    where = value === null ? { [name]: { not: null } } : orIsNull(field, { [name]: { not: value } });
    trueOnNull = value !== null;
  } else {
    const base = { [name]: { [prismaOrdering[op]!]: value } };
    where = orNull ? orIsNull(field, base) : base;
    trueOnNull = !!orNull;
  }
  return throughPath(path, where, trueOnNull);
}

function membership(cond: Extract<Cond, { kind: 'in' }>, viewer: Viewer | null): Filter {
  const { item, list, negated } = cond;
  if (item.kind === 'field') {
    const values = (listValues(list, viewer) ?? []).map((v) => coerceValue(item.field, v)).filter((v) => v !== NOTHING);
    const name = item.field.name;
    const where: Filter = negated
      ? values.length ? orIsNull(item.field, { [name]: { notIn: values } }) : true
      : values.length ? { [name]: { in: values } } : false;
    return typeof where === 'boolean' ? where : throughPath(item.path, where, negated);
  }
  const value = valueOf(item, viewer);
  if (list.kind === 'field') {
    const coerced = coerceValue(list.field, value);
    if (coerced === NOTHING) return negated;
    const has = { [list.field.name]: { has: coerced } };
    return throughPath(list.path, negated ? { NOT: has } : has, negated);
  }
  const values = listValues(list, viewer) ?? [];
  if (value === NOTHING) return negated;
  return values.some((v) => compareValues('==', value, v)) !== negated;
}

/** Compares two values the rule fully knows (literals and the viewer). */
export function compareValues(op: CompareOp, a: unknown, b: unknown, orNull?: boolean): boolean {
  if (a === NOTHING || b === NOTHING) return op === '!=' || (isOrdering(op) && !!orNull);
  if (op === '==' || op === '!=') {
    const equal = a === null || b === null ? a === b : a === b || String(a) === String(b);
    return equal === (op === '==');
  }
  if (a === null || b === null) return !!orNull;
  const [x, y] = [comparable(a), comparable(b)];
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

const comparable = (v: unknown) => (v instanceof Date ? v.getTime() : (v as number));

export function valueOf(operand: Operand, viewer: Viewer | null): unknown {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'auth':
      return viewer;
    case 'auth-field':
      return viewer ? ((viewer as unknown as Record<string, unknown>)[operand.name] ?? null) : NOTHING;
    default:
      return operand;
  }
}

export function listValues(list: Operand, viewer: Viewer | null): unknown[] | undefined {
  if (list.kind === 'list') return list.values;
  if (list.kind === 'auth-field') {
    const value = viewer ? (viewer as unknown as Record<string, unknown>)[list.name] : undefined;
    return Array.isArray(value) ? value : [];
  }
  return undefined;
}

const orIsNull = (field: Field, where: Where): Where => (field.isRequired ? where : { OR: [where, { [field.name]: null }] });

/**
 * `{ club: { is: { owner: { is: where } } } }`; a missing optional row counts as null, so the
 * result holds there exactly when the comparison holds for null (`trueOnNull`).
 */
function throughPath(path: Field[], where: Filter, trueOnNull: boolean): Filter {
  let result = where;
  for (const hop of [...path].reverse()) {
    const nullable = !hop.isRequired;
    if (result === true) result = trueOnNull || !nullable ? true : { [hop.name]: { isNot: null } };
    else if (result === false) result = trueOnNull && nullable ? { [hop.name]: { is: null } } : false;
    else {
      const through: Where = { [hop.name]: { is: result } };
      result = trueOnNull && nullable ? { OR: [{ [hop.name]: { is: null } }, through] } : through;
    }
  }
  return result;
}
