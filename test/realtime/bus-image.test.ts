import { expect, it } from 'vitest';
import { resolveRules } from '../../src/access/index.ts';
import { loadGenerated, type Datamodel } from '../../src/db/index.ts';
import { createBusImage } from '../../src/realtime/publish-changes.ts';
import { fixtures } from '../support/fixtures.ts';

/** The blog schema with Post.body and Post.status also `/// @hidden` (status is what Post's read rule tests). */
async function hiddenPostColumns(): Promise<Datamodel> {
  const { datamodel } = await loadGenerated(fixtures.blog.generated, 'sqlite');
  const hide = (names: string[]) => (field: Datamodel['models'][number]['fields'][number]) =>
    names.includes(field.name) ? { ...field, documentation: `${field.documentation ?? ''}\n@hidden`.trim() } : field;
  return { ...datamodel, models: datamodel.models.map((m) => (m.name === 'Post' ? { ...m, fields: m.fields.map(hide(['body', 'status', 'authorId'])) } : m)) };
}

it('drops hidden columns from bus images, but keeps the ones realtime decides rules and relations with; never mutates the change', async () => {
  const datamodel = await hiddenPostColumns();
  const image = createBusImage(datamodel, resolveRules(datamodel));
  const after = { id: 1, title: 'T', body: 'secret body', status: 'PUBLISHED', authorId: 7 };
  const change = { model: 'Post', kind: 'updated' as const, key: { id: 1 }, before: { ...after, body: 'old secret' }, after };
  const sent = image(change);
  // body: hidden and read by no rule, gone. status (the read rule's column) and authorId (a foreign key, also in the rule) stay.
  expect(sent.after).toEqual({ id: 1, title: 'T', status: 'PUBLISHED', authorId: 7 });
  expect(sent.before).toEqual({ id: 1, title: 'T', status: 'PUBLISHED', authorId: 7 });
  expect(change.after.body).toBe('secret body');
  expect(change.before.body).toBe('old secret');
  // A model without hidden columns passes through as it is; deletes and creates keep their null side.
  const tag = { model: 'Tag', kind: 'created' as const, key: { id: 2 }, before: null, after: { id: 2, name: 'x' } };
  expect(image(tag)).toBe(tag);
  expect(image({ ...change, kind: 'deleted', after: null })).toMatchObject({ after: null, before: { id: 1, title: 'T', status: 'PUBLISHED', authorId: 7 } });
});
