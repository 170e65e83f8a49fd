import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Datamodel } from '../../db/index.ts';
import { resolveRules } from './resolve-rules.ts';
import { RuleError } from './rule-error.ts';

const blog = JSON.parse(readFileSync(new URL('../../../examples/blog/src/generated/sqlite/datamodel.json', import.meta.url), 'utf8')) as Datamodel;

/** The example datamodel with `docs` as the `///` comments of Post (and of its fields). */
function withPostDocs(model: string, fields: Record<string, string> = {}): Datamodel {
  return {
    ...blog,
    models: blog.models.map((m) =>
      m.name !== 'Post' ? { ...m, documentation: undefined, fields: m.fields.map((f) => ({ ...f, documentation: undefined })) } : {
        ...m,
        documentation: model,
        fields: m.fields.map((f) => ({ ...f, documentation: fields[f.name] })),
      },
    ),
  };
}

function ruleError(datamodel: Datamodel, schema?: { path: string; text: string }): RuleError {
  try {
    resolveRules(datamodel, { schema });
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

describe('resolveRules', () => {
  it('reads the example app: operations expanded, field rules kept per field, hidden models without rules', () => {
    const rules = resolveRules(blog);
    const post = rules.models.get('Post')!;
    expect(post.operations.read.allow).toHaveLength(1);
    expect(post.operations.delete.deny[0]!.source).toBe('status == PUBLISHED && !("admin" in auth().roles)');
    expect(post.operations['post-update'].allow).toHaveLength(1);
    expect(post.fields.get('views')!.update.allow[0]!.text).toBe('@allow("update", "admin" in auth().roles)');
    expect(rules.models.get('Session')!.hasRules).toBe(false);
    expect([...rules.models.values()].filter((m) => !m.hasRules).map((m) => m.model.name)).toEqual(['Session', 'Account', 'AuthToken', 'StoredFile', 'PushDevice', 'Notification', 'NotificationPreference']);
  });

  it('expands all to every operation but post-update, for models and fields', () => {
    const rules = resolveRules(withPostDocs('@@allow("all", true)', { title: '@allow("all", auth() != null)' }));
    const ops = rules.models.get('Post')!.operations;
    expect([ops.read, ops.create, ops.update, ops.delete].map((s) => s.allow.length)).toEqual([1, 1, 1, 1]);
    expect(ops['post-update'].allow).toHaveLength(0);
    expect(rules.models.get('Post')!.fields.get('title')).toMatchObject({ read: { allow: [{}] }, update: { allow: [{}] } });
  });

  it('names the model, the rule, the column, the problem and the expected form for an unknown field', () => {
    const error = ruleError(withPostDocs('Posts.\n@@allow("read", publishd || auth().id == authorId)'));
    expect(error.location).toMatchObject({ model: 'Post', line: 2, text: '@@allow("read", publishd || auth().id == authorId)' });
    expect(error.message).toContain('Invalid access rule on Post (line 2 of the /// comment, column 17):');
    expect(error.message).toContain('  @@allow("read", publishd || auth().id == authorId)\n                  ^');
    expect(error.message).toContain('Unknown field "publishd" on Post. Expected a field of Post (id, title, slug');
    expect(error.message).toContain('Expected form: /// @@allow("<operations>", <condition>)');
  });

  it('points at the schema file line when given the schema', () => {
    const text = 'model Post {\n  id Int @id\n  /// @allow("read", auth().nickname == "x")\n  title String\n}\n';
    const error = ruleError(withPostDocs('', { title: '@allow("read", auth().nickname == "x")' }), { path: 'prisma/schema.prisma', text });
    expect(error.message).toContain('Invalid access rule on Post.title (prisma/schema.prisma:3, column 23):');
    expect(error.message).toContain('auth() has no field "nickname". Expected one of auth().id, auth().roles.');
  });

  it.each([
    ['@@allow("raed", true)', /Unknown operation "raed"/, /read, create, update, post-update, delete, all/],
    ['@@allow("read", title)', /title is not a condition/, /a condition/],
    ['@@allow("read", views == "many")', /"many" cannot be compared with views \(Int\)/, /an Int value/],
    ['@@allow("read", status == LIVE)', /"LIVE" is not a value of enum PostStatus/, /DRAFT, PUBLISHED, ARCHIVED/],
    ['@@allow("read", author == 1)', /author can only be compared with null/, /one of its fields/],
    ['@@allow("read", comments == null)', /to-many relation cannot be compared/, /relation\?\[cond\]/],
    ['@@allow("read", author.posts?[nope])', /Unknown field "nope" on Post/, /a field of Post/],
    ['@@allow("read", title?[true])', /title is not a to-many relation/, /before \?\[/],
    ['@@allow("read", authorId == views)', /cannot compare two fields/, /literal or with auth\(\)/],
    ['@@allow("read", auth().roles == "admin")', /auth\(\).roles is a list/, /in auth\(\).roles/],
    ['@@allow("read", rating < null)', /null cannot be compared with </, /== null/],
    ['@@allow("read", title in auth().id)', /auth\(\).id is not a list/, /list literal/],
    ['@allow("read", true)', /@allow is a field rule/, /above a field/],
  ])('rejects %s', (doc, problem, expected) => {
    const error = ruleError(withPostDocs(doc));
    expect(error.problem).toMatch(problem);
    expect(error.expected).toMatch(expected);
  });

  it('rejects field rules on relations, primary keys, and model rules above a field', () => {
    expect(ruleError(withPostDocs('', { author: '@allow("read", true)' })).problem).toMatch(/author is a relation/);
    expect(ruleError(withPostDocs('', { id: '@allow("read", true)' })).problem).toMatch(/id identifies the row/);
    expect(ruleError(withPostDocs('', { title: '@@allow("read", true)' })).problem).toMatch(/@@allow is a model rule/);
    expect(ruleError(withPostDocs('', { title: '@allow("create", true)' })).expected).toMatch(/field operations: read, update, all/);
  });
});
