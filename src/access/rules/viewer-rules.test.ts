import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Datamodel } from '../../db/index.ts';
import { resolveRules } from './resolve-rules.ts';
import { alwaysAllowed, createViewerRules, readRuleColumns, viewerRulesCache } from './viewer-rules.ts';

const blog = JSON.parse(readFileSync(new URL('../../../examples/blog/src/generated/sqlite/datamodel.json', import.meta.url), 'utf8')) as Datamodel;
const rules = resolveRules(blog);
const user = { id: 3, roles: ['user'] };
const admin = { id: 1, roles: ['admin'] };

describe('viewerRulesCache', () => {
  // What one request of the viewer compiled, as the next request sees it.
  const compiled = (rules: ReturnType<ReturnType<typeof viewerRulesCache>>) => rules.model('Post', 'delete');

  it('shares compiled filters per viewer (id and roles), keeps the most recent ones, and freezes what it shares', () => {
    const rulesFor = viewerRulesCache(rules, 2);
    const viewer = { id: 3, roles: ['user'] };
    const first = rulesFor(viewer);
    const filter = compiled(first);
    const again = { id: 3, roles: ['user'] };
    expect(compiled(rulesFor(again))).toBe(filter);
    // Each request keeps its own viewer.
    expect(rulesFor(again).viewer).toBe(again);
    expect(compiled(rulesFor({ id: '3', roles: ['user'] }))).not.toBe(filter);
    expect(compiled(rulesFor({ id: 3, roles: ['user', 'admin'] }))).not.toBe(filter);
    expect(compiled(rulesFor(null))).toBe(compiled(rulesFor(null)));
    // Two others seen since: the first was dropped and is compiled afresh.
    expect(compiled(rulesFor(viewer))).not.toBe(filter);
    expect(() => (filter as { AND: unknown[] }).AND.push({ id: 1 })).toThrow(TypeError);
  });

  it('tells viewers apart by every auth() field the rules may read', () => {
    const withTenant = resolveRules(blog, { viewerFields: { id: { type: 'Id' }, roles: { type: 'String', list: true }, tenantId: { type: 'Int' } } });
    const rulesFor = viewerRulesCache(withTenant);
    const one = compiled(rulesFor({ id: 3, roles: ['user'], tenantId: 1 } as never));
    expect(compiled(rulesFor({ id: 3, roles: ['user'], tenantId: 1 } as never))).toBe(one);
    expect(compiled(rulesFor({ id: 3, roles: ['user'], tenantId: 2 } as never))).not.toBe(one);
  });
});

describe('createViewerRules', () => {
  it('ORs the allows and lets every deny win', () => {
    expect(createViewerRules(rules, user).model('Post', 'delete')).toEqual({
      AND: [{ authorId: 3 }, { status: { not: 'PUBLISHED' } }],
    });
    expect(createViewerRules(rules, admin).model('Post', 'delete')).toBe(true);
  });

  it('denies an operation without an allow, and a model without rules entirely', () => {
    expect(createViewerRules(rules, admin).model('Follow', 'update')).toBe(false);
    expect(createViewerRules(rules, admin).model('Session', 'read')).toBe(false);
  });

  it('opens post-update and fields without rules, and narrows them with their rules', () => {
    const viewer = createViewerRules(rules, user);
    expect(viewer.model('Comment', 'post-update')).toBe(true);
    expect(viewer.model('Post', 'post-update')).toEqual({ authorId: 3 });
    expect(viewer.field('Post', 'title', 'update')).toBe(true);
    expect(viewer.field('Post', 'views', 'update')).toBe(false);
    expect(viewer.field('User', 'email', 'read')).toEqual({ id: 3 });
  });

  it('gives the null-safe complement for modelDenied', () => {
    expect(createViewerRules(rules, user).modelDenied('Post', 'read')).toEqual({ AND: [{ status: { not: 'PUBLISHED' } }, { authorId: { not: 3 } }] });
    expect(createViewerRules(rules, null).modelDenied('Tag', 'read')).toBe(false);
  });

  it('evaluates create rules on data, deny first', () => {
    const viewer = createViewerRules(rules, user);
    expect(viewer.evaluate('Post', 'create', { authorId: 3 })).toBe(true);
    expect(viewer.evaluate('Post', 'create', { authorId: 4 })).toBe(false);
    expect(viewer.evaluate('Membership', 'create', { userId: 3, role: 'member' })).toBeUndefined();
    expect(viewer.evaluate('Tag', 'create', { name: 'x' })).toBe(false);
  });
});

describe('alwaysAllowed', () => {
  it('is true only for an unconditional allow without denies', () => {
    expect(alwaysAllowed(rules, 'Tag', 'read')).toBe(true);
    expect(alwaysAllowed(rules, 'Post', 'read')).toBe(false);
    expect(alwaysAllowed(rules, 'Session', 'read')).toBe(false);
    expect(alwaysAllowed(rules, 'User', 'read', 'name')).toBe(true);
    expect(alwaysAllowed(rules, 'User', 'read', 'email')).toBe(false);
  });
});

describe('readRuleColumns', () => {
  it("lists the model's own columns its read rules compare, not relation paths or collections", () => {
    expect(readRuleColumns(rules, 'Post').sort()).toEqual(['authorId', 'status']);
    // Comment's read rule also compares post.status and post.authorId: those are another row's.
    expect(readRuleColumns(rules, 'Comment')).toEqual(['authorId']);
    // User.email's field rule compares the user's own id.
    expect(readRuleColumns(rules, 'User')).toEqual(['id']);
    expect(readRuleColumns(rules, 'Tag')).toEqual([]);
  });
});
