/** A parsed rule expression, before it is checked against the datamodel. `pos` is the offset in the annotation line. */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null; pos: number }
  | { kind: 'list'; items: Expr[]; pos: number }
  | { kind: 'ident'; name: string; pos: number }
  | { kind: 'auth'; pos: number }
  | { kind: 'member'; object: Expr; name: string; pos: number }
  | { kind: 'collection'; object: Expr; quantifier: Quantifier; predicate: Expr; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number };

export type Quantifier = 'some' | 'every' | 'none';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type BinaryOp = CompareOp | 'in' | '&&' | '||';

/** `/// @@allow("read,update", expr)` as written: the operations and the expression, with positions. */
export interface Annotation {
  effect: 'allow' | 'deny';
  /** `model` for `@@allow`/`@@deny`, `field` for `@allow`/`@deny`. */
  level: 'model' | 'field';
  operations: string[];
  /** Offset of the operations string in `text`. */
  operationsPos: number;
  expr: Expr;
  /** The annotation line, trimmed: `@@allow("read", published)`. */
  text: string;
  /** The expression's source: `published`. */
  source: string;
  /** 1-based line within the `///` comment. */
  line: number;
}
