import type { Field } from '../../db/index.ts';
import type { CompareOp, Quantifier } from './ast.ts';

export type Literal = string | number | boolean | null;

/** A value in a resolved rule: a literal, a row field (through to-one relations), or the viewer. */
export type Operand =
  | { kind: 'value'; value: Literal }
  | { kind: 'list'; values: Literal[] }
  /** A scalar or enum field of the row, reached through `path` (to-one relations, possibly empty). */
  | { kind: 'field'; path: Field[]; field: Field }
  /** A to-one relation (the last element of `path`), only ever compared with null. */
  | { kind: 'relation'; path: Field[] }
  | { kind: 'auth' }
  | { kind: 'auth-field'; name: string };

/**
 * A rule checked against the datamodel, in negation normal form: `!` has been pushed down into
 * the comparisons and quantifiers, so compiling and evaluating never meet a negation. A
 * comparison keeps a field (if any) on its left.
 */
export type Cond =
  | { kind: 'const'; value: boolean }
  | { kind: 'and' | 'or'; items: Cond[] }
  /** `orNull`: a negated ordering, true when either side is null (`!(views > 3)`). */
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand; orNull?: boolean }
  | { kind: 'in'; item: Operand; list: Operand; negated: boolean }
  /** `members?[…]` (some), `members![…]` (every), `members^[…]` (none), after to-one `path` hops. */
  | { kind: 'collection'; quantifier: Quantifier; path: Field[]; relation: Field; where: Cond };

const negatedOp: Record<CompareOp, CompareOp> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
export const flippedOp: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
export const isOrdering = (op: CompareOp) => op !== '==' && op !== '!=';

/** `!cond`, pushed down to the leaves (De Morgan, quantifier duality). */
export function negate(cond: Cond): Cond {
  switch (cond.kind) {
    case 'const':
      return { kind: 'const', value: !cond.value };
    case 'and':
    case 'or':
      return { kind: cond.kind === 'and' ? 'or' : 'and', items: cond.items.map(negate) };
    case 'compare':
      return { ...cond, op: negatedOp[cond.op], ...(isOrdering(cond.op) ? { orNull: !cond.orNull } : {}) };
    case 'in':
      return { ...cond, negated: !cond.negated };
    case 'collection':
      if (cond.quantifier === 'some') return { ...cond, quantifier: 'none' };
      if (cond.quantifier === 'none') return { ...cond, quantifier: 'some' };
      return { ...cond, quantifier: 'some', where: negate(cond.where) };
  }
}

/** Whether a condition reads the viewer (rules that do not are the same for everyone). */
export function usesViewer(cond: Cond): boolean {
  switch (cond.kind) {
    case 'const':
      return false;
    case 'and':
    case 'or':
      return cond.items.some(usesViewer);
    case 'compare':
      return [cond.left, cond.right].some((o) => o.kind === 'auth' || o.kind === 'auth-field');
    case 'in':
      return [cond.item, cond.list].some((o) => o.kind === 'auth' || o.kind === 'auth-field');
    case 'collection':
      return usesViewer(cond.where);
  }
}

/** The row's own columns (no relation path) a condition compares: what deciding it from a row needs. */
export function ownColumns(cond: Cond): string[] {
  switch (cond.kind) {
    case 'const':
    case 'collection':
      return [];
    case 'and':
    case 'or':
      return cond.items.flatMap(ownColumns);
    case 'compare':
    case 'in':
      return (cond.kind === 'compare' ? [cond.left, cond.right] : [cond.item, cond.list]).flatMap((o) =>
        o.kind === 'field' && !o.path.length ? [o.field.name] : [],
      );
  }
}
