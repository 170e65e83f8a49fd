import type { Annotation, BinaryOp, Expr, Quantifier } from './ast.ts';
import { RuleSyntaxError } from './rule-error.ts';
import { tokenize, type Token } from './tokenize.ts';

const anExpression = 'a condition such as `published`, `auth().id == authorId`, `"admin" in auth().roles` or `members?[userId == auth().id]`';
const quantifiers: Record<string, Quantifier> = { '?[': 'some', '![': 'every', '^[': 'none' };
// Binding powers: || < && < comparisons and `in` < prefix ! < member access and collection predicates.
const infix: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, in: 3 };
const PREFIX = 4;
const POSTFIX = 5;

/** `@@allow("read", expr)` and friends; anything else (prose, `@hidden`) is not a rule. */
const annotationStart = /^(@@?)(allow|deny)\b\s*/;

/** Parses one `///` line if it is an access rule annotation; returns undefined for other lines. */
export function parseAnnotation(rawLine: string, line: number): Annotation | undefined {
  const text = rawLine.trim();
  const start = annotationStart.exec(text);
  if (!start) return undefined;
  const parser = new Parser(tokenize(text.slice(start[0].length), start[0].length));
  parser.expect('(', 'an opening parenthesis after the annotation name');
  const ops = parser.next();
  if (ops.type !== 'string') throw new RuleSyntaxError('The first argument must be a string', ops.pos, 'the operations as a string, e.g. "read" or "create,update"');
  parser.expect(',', 'a comma after the operations');
  const exprStart = parser.peek().pos;
  const expr = parser.expression(0);
  const close = parser.expect(')', 'a closing parenthesis (one rule per line)');
  parser.expect('eof', 'the end of the line after the closing parenthesis');
  return {
    effect: start[2] as 'allow' | 'deny',
    level: start[1] === '@@' ? 'model' : 'field',
    operations: ops.value.split(',').map((o) => o.trim()),
    operationsPos: ops.pos,
    expr,
    text,
    source: text.slice(exprStart, close.pos).trim(),
    line,
  };
}

/** Parses a bare expression (tests and tools). */
export function parseExpression(text: string): Expr {
  const parser = new Parser(tokenize(text));
  const expr = parser.expression(0);
  parser.expect('eof', 'an operator or the end of the expression');
  return expr;
}

class Parser {
  private index = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  peek(): Token {
    return this.tokens[this.index]!;
  }
  next(): Token {
    return this.tokens[Math.min(this.index++, this.tokens.length - 1)]!;
  }
  expect(value: string, expected: string): Token {
    const token = this.next();
    const matches = value === 'eof' ? token.type === 'eof' : token.type === 'punct' && token.value === value;
    if (!matches) throw new RuleSyntaxError(`Unexpected ${describe(token)}`, token.pos, expected);
    return token;
  }

  /** Pratt loop: a prefix form, then infix/postfix operators that bind tighter than `minPower`. */
  expression(minPower: number): Expr {
    let left = this.prefix();
    for (;;) {
      const token = this.peek();
      const op = token.type === 'punct' || (token.type === 'ident' && token.value === 'in') ? token.value : undefined;
      if (op === '.' || (op && op in quantifiers)) {
        left = this.postfix(left);
        continue;
      }
      const power = op ? infix[op] : undefined;
      if (power === undefined || power <= minPower) return left;
      this.next();
      const right = this.expression(power);
      if (power === 3 && infix[this.peek().value] === 3) {
        throw new RuleSyntaxError('Comparisons do not chain', this.peek().pos, '&& or || between two comparisons');
      }
      left = { kind: 'binary', op: op as BinaryOp, left, right, pos: left.pos };
    }
  }

  private postfix(object: Expr): Expr {
    const token = this.next();
    if (token.value === '.') {
      const name = this.next();
      if (name.type !== 'ident') throw new RuleSyntaxError(`Unexpected ${describe(name)} after "."`, name.pos, 'a field name');
      return { kind: 'member', object, name: name.value, pos: name.pos };
    }
    const predicate = this.expression(0);
    this.expect(']', `"]" closing the ${token.value}…] predicate`);
    return { kind: 'collection', object, quantifier: quantifiers[token.value]!, predicate, pos: object.pos };
  }

  private prefix(): Expr {
    const token = this.next();
    const pos = token.pos;
    switch (token.type) {
      case 'string':
        return { kind: 'literal', value: token.value, pos };
      case 'number':
        return { kind: 'literal', value: token.value, pos };
      case 'ident':
        if (token.value === 'true' || token.value === 'false') return { kind: 'literal', value: token.value === 'true', pos };
        if (token.value === 'null') return { kind: 'literal', value: null, pos };
        if (token.value === 'in') break;
        if (this.peek().value === '(') return this.call(token.value, pos);
        return { kind: 'ident', name: token.value, pos };
      case 'punct':
        if (token.value === '!') return { kind: 'not', operand: this.expression(PREFIX), pos };
        if (token.value === '-') {
          const number = this.next();
          if (number.type !== 'number') throw new RuleSyntaxError(`Unexpected ${describe(number)} after "-"`, number.pos, 'a number');
          return { kind: 'literal', value: -number.value, pos };
        }
        if (token.value === '(') {
          const inner = this.expression(0);
          this.expect(')', 'a closing parenthesis');
          return inner;
        }
        if (token.value === '[') return this.list(pos);
        break;
    }
    throw new RuleSyntaxError(`Unexpected ${describe(token)}`, pos, anExpression);
  }

  private call(name: string, pos: number): Expr {
    if (name !== 'auth') throw new RuleSyntaxError(`Unknown function ${name}()`, pos, 'auth(), the only function rules can call');
    this.next();
    this.expect(')', 'auth() takes no arguments');
    return { kind: 'auth', pos };
  }

  private list(pos: number): Expr {
    const items: Expr[] = [];
    while (this.peek().value !== ']') {
      items.push(this.expression(POSTFIX - 1));
      if (this.peek().value !== ']') this.expect(',', 'a comma or "]" in the list');
    }
    this.next();
    return { kind: 'list', items, pos };
  }
}

function describe(token: Token): string {
  if (token.type === 'eof') return 'end of rule';
  if (token.type === 'string') return `string "${token.value}"`;
  return `"${token.value}"`;
}
