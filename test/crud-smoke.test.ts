import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachProvider, type TestApp } from './support/test-app.ts';

describeEachProvider('smoke', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('blog', provider, {}, { access: 'trusted' });
  });
  afterAll(() => t.close());

  it('creates and reads a post with its author', async () => {
    const created = await t.gql(`mutation { createPost(data: { title: "Hi", slug: "hi", author: { create: { email: "a@b.c" } } }) { id author { email } } }`);
    expect(created.errors).toBeUndefined();
    expect(created.data.createPost.author.email).toBe('a@b.c');
  });
});
