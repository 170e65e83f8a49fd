import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.ts';
import { parseAnnotation, parseExpression } from './parse-rule.ts';
import { RuleSyntaxError } from './rule-error.ts';

/** A compact rendering of the tree, so precedence is visible at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'list':
      return `[${e.items.map(show).join(', ')}]`;
    case 'ident':
      return e.name;
    case 'auth':
      return 'auth()';
    case 'member':
      return `${show(e.object)}.${e.name}`;
    case 'collection':
      return `${e.quantifier}(${show(e.object)}, ${show(e.predicate)})`;
    case 'not':
      return `!(${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
  }
}

const parsed = (text: string) => show(parseExpression(text));

function syntaxError(run: () => unknown): RuleSyntaxError {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a RuleSyntaxError');
}

describe('parseExpression', () => {
  it('parses literals, fields, auth() and member access', () => {
    expect(parsed('published')).toBe('published');
    expect(parsed('auth().id == authorId')).toBe('(auth().id == authorId)');
    expect(parsed(String.raw`title == 'it\'s'`)).toBe(`(title == "it's")`);
    expect(parsed('views >= -3.5')).toBe('(views >= -3.5)');
    expect(parsed('club.owner.id != null')).toBe('(club.owner.id != null)');
  });

  it('binds ! tighter than comparisons, comparisons tighter than &&, && tighter than ||', () => {
    expect(parsed('a || b && c')).toBe('(a || (b && c))');
    expect(parsed('a && b || c')).toBe('((a && b) || c)');
    expect(parsed('!a && b')).toBe('(!(a) && b)');
    expect(parsed('!(a || b)')).toBe('!((a || b))');
    expect(parsed('x == 1 && y != 2 || z < 3')).toBe('(((x == 1) && (y != 2)) || (z < 3))');
  });

  it('parses in with list literals and auth() lists', () => {
    expect(parsed('"admin" in auth().roles')).toBe('("admin" in auth().roles)');
    expect(parsed('status in [DRAFT, "ARCHIVED", 3]')).toBe('(status in [DRAFT, "ARCHIVED", 3])');
    expect(parsed('!("admin" in auth().roles)')).toBe('!(("admin" in auth().roles))');
  });

  it('parses some/every/none predicates after relation paths, nested', () => {
    expect(parsed('members?[userId == auth().id]')).toBe('some(members, (userId == auth().id))');
    expect(parsed('club.members![role == "admin"]')).toBe('every(club.members, (role == "admin"))');
    expect(parsed('tasks^[subtasks?[done]]')).toBe('none(tasks, some(subtasks, done))');
    expect(parsed('!members?[true] || x')).toBe('(!(some(members, true)) || x)');
  });

  it('rejects chained comparisons, unknown functions and stray tokens with the position', () => {
    const chained = syntaxError(() => parseExpression('a == b == c'));
    expect(chained.message).toMatch(/do not chain/);
    expect(chained.pos).toBe(7);
    expect(syntaxError(() => parseExpression('now() > createdAt')).expected).toMatch(/auth\(\)/);
    expect(syntaxError(() => parseExpression('a &&')).message).toBe('Unexpected end of rule');
    expect(syntaxError(() => parseExpression('a b')).pos).toBe(2);
    expect(syntaxError(() => parseExpression('title == "open')).message).toMatch(/Unterminated string/);
    expect(syntaxError(() => parseExpression('a # b')).message).toMatch(/Unexpected character "#"/);
    expect(syntaxError(() => parseExpression('members?[x')).expected).toMatch(/\]/);
  });
});

describe('parseAnnotation', () => {
  it('reads model and field annotations with their operations and source', () => {
    const rule = parseAnnotation('  @@allow("read, update", published || auth().id == authorId)', 3)!;
    expect(rule).toMatchObject({ effect: 'allow', level: 'model', operations: ['read', 'update'], line: 3, source: 'published || auth().id == authorId' });
    expect(rule.text).toBe('@@allow("read, update", published || auth().id == authorId)');
    expect(parseAnnotation('@deny("read", x)', 1)).toMatchObject({ effect: 'deny', level: 'field', operations: ['read'] });
  });

  it('ignores prose and other annotations', () => {
    expect(parseAnnotation('Comments form threads.', 1)).toBeUndefined();
    expect(parseAnnotation('@hidden', 1)).toBeUndefined();
    expect(parseAnnotation('@allowance is prose', 1)).toBeUndefined();
  });

  it('wants the operations as a string, one rule per line, nothing after it', () => {
    expect(syntaxError(() => parseAnnotation('@@allow(read, true)', 1)).expected).toMatch(/operations as a string/);
    expect(syntaxError(() => parseAnnotation('@@allow("read", a ||', 1)).message).toBe('Unexpected end of rule');
    expect(syntaxError(() => parseAnnotation('@@allow("read", a', 1)).expected).toMatch(/one rule per line/);
    expect(syntaxError(() => parseAnnotation('@@allow("read", a) extra', 1)).pos).toBe(19);
  });
});
