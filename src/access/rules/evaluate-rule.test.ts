import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Datamodel } from '../../db/index.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { parseExpression } from './parse-rule.ts';
import { resolveExpression } from './resolve-expression.ts';

const blog = JSON.parse(readFileSync(new URL('../../../examples/blog/src/generated/sqlite/datamodel.json', import.meta.url), 'utf8')) as Datamodel;
const evaluate = (model: string, text: string, viewer: { id: string | number; roles: string[] } | null, row: Record<string, unknown>) =>
  evaluateRule(resolveExpression(parseExpression(text), blog.models.find((m) => m.name === model)!, blog), viewer, row);

const alice = { id: '7', roles: ['user'] };

describe('evaluateRule (create data, before the insert)', () => {
  it('decides rules over the given values', () => {
    expect(evaluate('Post', 'auth().id == authorId', alice, { authorId: 7 })).toBe(true);
    expect(evaluate('Post', 'auth().id == authorId', alice, { authorId: 8 })).toBe(false);
    expect(evaluate('Post', 'auth().id == authorId', null, { authorId: 7 })).toBe(false);
    expect(evaluate('Post', 'status != PUBLISHED || "admin" in auth().roles', alice, { status: 'DRAFT' })).toBe(true);
    expect(evaluate('Post', '!(rating > 3)', alice, { rating: null })).toBe(true);
  });

  it('leaves to the database what the values cannot decide (Kleene logic)', () => {
    expect(evaluate('Post', 'auth().id == authorId', alice, {})).toBeUndefined();
    expect(evaluate('Comment', 'post.authorId == auth().id', alice, { postId: 1 })).toBeUndefined();
    expect(evaluate('Comment', 'post.authorId == auth().id || authorId == auth().id', alice, { authorId: 7 })).toBe(true);
    expect(evaluate('Comment', 'post.authorId == auth().id && authorId == auth().id', alice, { authorId: 8 })).toBe(false);
    expect(evaluate('Club', 'members?[userId == auth().id]', alice, {})).toBeUndefined();
    expect(evaluate('Post', 'publishedAt == null', alice, { publishedAt: new Date() })).toBeUndefined();
    expect(evaluate('Post', 'publishedAt == null', alice, { publishedAt: null })).toBe(true);
  });
});
