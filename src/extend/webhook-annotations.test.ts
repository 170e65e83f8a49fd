import { describe, expect, it } from 'vitest';
import type { Datamodel } from '../db/index.ts';
import { webhookAnnotations } from './webhook-annotations.ts';

const datamodel = (documentation: string) => ({ provider: 'sqlite', models: [{ name: 'Post', documentation, fields: [] }], enums: [] }) as unknown as Datamodel;

describe('/// @@webhook(...) on a model', () => {
  it('reads name, env references, literals and operations', () => {
    const found = webhookAnnotations(datamodel('Posts.\n@@allow("read", true)\n@@webhook("postPublished", url: env("POST_HOOK_URL"), secret: env("POST_HOOK_SECRET"), operations: "create, update")'));
    expect(found).toEqual({ postPublished: { model: 'Post', url: { env: 'POST_HOOK_URL' }, secret: { env: 'POST_HOOK_SECRET' }, operations: ['create', 'update'] } });
    expect(webhookAnnotations(datamodel('@@webhook("w", url: "https://x.test/h", secret: env("S"))')).w).toEqual({ model: 'Post', url: 'https://x.test/h', secret: { env: 'S' } });
  });

  it('names the model, the line and what is wrong', () => {
    expect(() => webhookAnnotations(datamodel('@@webhook(url: env("U"))'))).toThrow(/Post: @@webhook\(url: env\("U"\)\): the first argument is the webhook's name/);
    expect(() => webhookAnnotations(datamodel('@@webhook("w", url: env("U"), secret: env("S"), retries: "3")'))).toThrow(/unknown argument retries/);
    expect(() => webhookAnnotations(datamodel('@@webhook("w", url: env("U"))'))).toThrow(/url and secret are required/);
    expect(() => webhookAnnotations(datamodel('@@webhook("w", url: env(U), secret: env("S"))'))).toThrow(/expected key: env\("NAME"\)/);
  });
});
