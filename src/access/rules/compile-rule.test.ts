import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Datamodel } from '../../db/index.ts';
import { compileRule } from './compile-rule.ts';
import { negate } from './cond.ts';
import { parseExpression } from './parse-rule.ts';
import { resolveExpression } from './resolve-expression.ts';

const blog = JSON.parse(readFileSync(new URL('../../../examples/blog/src/generated/sqlite/datamodel.json', import.meta.url), 'utf8')) as Datamodel;
const model = (name: string) => blog.models.find((m) => m.name === name)!;
const cond = (modelName: string, text: string) => resolveExpression(parseExpression(text), model(modelName), blog);
const compile = (modelName: string, text: string, viewer: { id: string | number; roles: string[] } | null) => compileRule(cond(modelName, text), viewer);

const alice = { id: 7, roles: ['user'] };
const admin = { id: '9', roles: ['user', 'admin'] };

describe('compileRule', () => {
  it('decides viewer-only rules to true or false', () => {
    expect(compile('Post', '"admin" in auth().roles', admin)).toBe(true);
    expect(compile('Post', '"admin" in auth().roles', alice)).toBe(false);
    expect(compile('Post', '"admin" in auth().roles', null)).toBe(false);
    expect(compile('Post', 'auth() != null', null)).toBe(false);
    expect(compile('Post', 'auth() == null', null)).toBe(true);
    expect(compile('Post', 'true || views > 3', null)).toBe(true);
  });

  it('turns field comparisons into Prisma filters, coercing viewer ids to the column type', () => {
    expect(compile('Post', 'auth().id == authorId', alice)).toEqual({ authorId: 7 });
    expect(compile('Post', 'auth().id == authorId', admin)).toEqual({ authorId: 9 });
    expect(compile('Post', 'status == PUBLISHED || auth().id == authorId', alice)).toEqual({ OR: [{ status: 'PUBLISHED' }, { authorId: 7 }] });
    expect(compile('Post', 'views >= 10 && views < 20', alice)).toEqual({ AND: [{ views: { gte: 10 } }, { views: { lt: 20 } }] });
    expect(compile('Post', 'status in [DRAFT, ARCHIVED]', null)).toEqual({ status: { in: ['DRAFT', 'ARCHIVED'] } });
  });

  it('lets an anonymous viewer equal nothing: == is false, != is true', () => {
    expect(compile('Post', 'auth().id == authorId', null)).toBe(false);
    expect(compile('Post', 'auth().id != authorId', null)).toBe(true);
    expect(compile('Comment', 'parentId == auth().id', null)).toBe(false);
    expect(compile('Post', 'authorId in auth().roles', null)).toBe(false);
  });

  it('treats null as a value: != includes nulls, ordering with null is false, negated ordering includes them', () => {
    expect(compile('Post', 'rating != 2.5', null)).toEqual({ OR: [{ rating: { not: 2.5 } }, { rating: null }] });
    expect(compile('Post', 'rating == null', null)).toEqual({ rating: null });
    expect(compile('Post', 'rating > 3', null)).toEqual({ rating: { gt: 3 } });
    expect(compile('Post', '!(rating > 3)', null)).toEqual({ OR: [{ rating: { lte: 3 } }, { rating: null }] });
    expect(compile('Post', '!(views > 3)', null)).toEqual({ views: { lte: 3 } });
    expect(compile('Post', '!(status in [DRAFT])', null)).toEqual({ status: { notIn: ['DRAFT'] } });
  });

  it('follows to-one paths, counting a missing optional row as null', () => {
    expect(compile('Comment', 'post.authorId == auth().id', alice)).toEqual({ post: { is: { authorId: 7 } } });
    expect(compile('Comment', 'parent.authorId == auth().id', alice)).toEqual({ parent: { is: { authorId: 7 } } });
    expect(compile('Comment', 'parent.authorId != auth().id', alice)).toEqual({ OR: [{ parent: { is: null } }, { parent: { is: { authorId: { not: 7 } } } }] });
    expect(compile('Comment', 'parent == null', null)).toEqual({ parent: { is: null } });
    expect(compile('Comment', 'post.author.profile != null', null)).toEqual({ post: { is: { author: { is: { profile: { isNot: null } } } } } });
    expect(compile('Comment', 'parent.post == null', null)).toEqual({ parent: { is: null } });
  });

  it('compiles collection predicates and their negations', () => {
    expect(compile('Club', 'members?[userId == auth().id]', alice)).toEqual({ members: { some: { userId: 7 } } });
    expect(compile('Club', 'members![role == "moderator"]', alice)).toEqual({ members: { every: { role: 'moderator' } } });
    expect(compile('Club', 'members^[userId == auth().id]', alice)).toEqual({ members: { none: { userId: 7 } } });
    expect(compile('Club', '!members![role == "moderator"]', alice)).toEqual({ members: { some: { role: { not: 'moderator' } } } });
    expect(compile('Club', 'members?[userId == auth().id]', null)).toBe(false);
    expect(compile('Club', 'members![userId == auth().id]', null)).toEqual({ members: { none: {} } });
    expect(compile('Membership', 'club.members?[userId == auth().id]', alice)).toEqual({ club: { is: { members: { some: { userId: 7 } } } } });
  });

  it('negates exactly: a row matches a rule or its negation, never both', () => {
    const text = 'status == PUBLISHED && (rating > 3 || author.name != "x")';
    expect(compileRule(negate(cond('Post', text)), alice)).toEqual({
      OR: [
        { status: { not: 'PUBLISHED' } },
        { AND: [{ OR: [{ rating: { lte: 3 } }, { rating: null }] }, { author: { is: { name: 'x' } } }] },
      ],
    });
  });
});
