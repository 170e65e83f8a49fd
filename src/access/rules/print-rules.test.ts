import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Datamodel } from '../../db/index.ts';
import { printRules, unruledModelsWarning } from './print-rules.ts';
import { resolveRules } from './resolve-rules.ts';

const blog = JSON.parse(readFileSync(new URL('../../../examples/blog/src/generated/sqlite/datamodel.json', import.meta.url), 'utf8')) as Datamodel;

describe('printRules', () => {
  it('prints model × operation → rule, field rules under their model, and the models without rules', () => {
    const text = printRules(resolveRules(blog));
    expect(text).toContain(
      [
        'Post',
        '  read           allow  status == PUBLISHED || auth().id == authorId || "admin" in auth().roles',
        '  create         allow  auth().id == authorId',
        '  update         allow  auth().id == authorId || "admin" in auth().roles',
        '  post-update    allow  auth().id == authorId || "admin" in auth().roles',
        '  delete         allow  auth().id == authorId || "admin" in auth().roles',
        '                 deny   status == PUBLISHED && !("admin" in auth().roles)',
        '  views: update  allow  "admin" in auth().roles',
      ].join('\n'),
    );
    expect(text).toContain('  update       denied (no @@allow)');
    expect(text).toContain('  post-update  allowed (no post-update rule)');
    expect(text).toMatch(/Models without rules \(every request is denied; trusted code reaches them with ctx.db.sudo\(\)\):\n {2}Session \(hidden\), Account \(hidden\), AuthToken \(hidden\), StoredFile \(hidden\), PushDevice \(hidden\), Notification \(hidden\), NotificationPreference \(hidden\)$/);
  });
});

describe('unruledModelsWarning', () => {
  it('names API models without rules; hidden ones are not worth a warning', () => {
    expect(unruledModelsWarning(resolveRules(blog))).toBeUndefined();
    const bare = { ...blog, models: blog.models.map((m) => (m.name === 'Tag' ? { ...m, documentation: undefined } : m)) };
    expect(unruledModelsWarning(resolveRules(bare))).toMatch(/^Access rules: Tag has no \/\/\/ @@allow rule, so every request is denied on it/);
  });
});
