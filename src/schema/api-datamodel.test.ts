import { describe, expect, it } from 'vitest';
import type { Datamodel, Field } from '../db/index.ts';
import { apiDatamodel, description } from './api-datamodel.ts';

const field = (name: string, extra: Partial<Field> = {}): Field =>
  ({ name, kind: 'scalar', type: 'String', isList: false, isRequired: true, isUnique: false, isId: false, ...extra }) as Field;

const datamodel: Datamodel = {
  provider: 'sqlite',
  enums: [],
  models: [
    {
      name: 'User',
      documentation: 'A person.\n@@allow("read", true)',
      primaryKey: null,
      uniqueIndexes: [{ name: null, fields: ['email', 'passwordHash'] }],
      fields: [
        field('id', { isId: true }),
        field('email', { isUnique: true }),
        field('passwordHash', { documentation: '@hidden' }),
        field('sessions', { kind: 'object', type: 'Session', isList: true, relationName: 'S' }),
      ],
    },
    { name: 'Session', documentation: '@hidden', primaryKey: null, uniqueIndexes: [], fields: [field('id', { isId: true })] },
  ] as unknown as Datamodel['models'],
};

describe('apiDatamodel', () => {
  const api = apiDatamodel(datamodel);
  it('drops hidden models, hidden fields and relations to hidden models', () => {
    expect(api.models.map((m) => m.name)).toEqual(['User']);
    expect(api.models[0]!.fields.map((f) => f.name)).toEqual(['id', 'email']);
  });
  it('drops unique indexes over hidden fields', () => {
    expect(api.models[0]!.uniqueIndexes).toEqual([]);
  });
  it('keeps prose and strips annotation lines from descriptions', () => {
    expect(api.models[0]!.documentation).toBe('A person.');
    expect(description({ documentation: '@hidden' })).toBeUndefined();
  });
  it('refuses to hide a primary key field', () => {
    const bad = structuredClone(datamodel);
    (bad.models[0]!.fields as Field[])[0] = field('id', { isId: true, documentation: '@hidden' });
    expect(() => apiDatamodel(bad)).toThrow(/primary key cannot be @hidden/);
  });
});
