import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, type GraphQLObjectType } from 'graphql';
import { loadGenerated, type Datamodel, type Model } from '../../src/db/index.ts';
import { createEventBus } from '../../src/events/index.ts';
import { createNotifyApi, resolveNotifyModels } from '../../src/notify/index.ts';
import { buildSchema } from '../../src/schema/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const notifyFields = ['registerPushDevice', 'unregisterPushDevice', 'myPushDevices', 'notifications', 'notificationCounts', 'markNotificationsSeen', 'markNotificationsRead', 'archiveNotifications', 'notificationPreferences', 'setNotificationPreference', 'notificationAdded'];

describe('notification models: boot checks', () => {
  let datamodel: Datamodel;
  beforeAll(async () => {
    datamodel = (await loadGenerated(fixtures.blog.generated, 'sqlite')).datamodel;
  });
  /** The blog datamodel with one model changed. */
  const withModel = (name: string, change: (model: Model) => Model | undefined): Datamodel => ({
    ...datamodel,
    models: datamodel.models.flatMap((m) => (m.name === name ? [change(structuredClone(m))].filter((x): x is Model => !!x) : [m])),
  });
  const problems = (dm: Datamodel, auth = true) => {
    try {
      resolveNotifyModels(dm, { auth });
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it("accepts the example app's models and learns their shape", () => {
    expect(resolveNotifyModels(datamodel, { auth: true })).toEqual({ userId: 'Int', devices: { sessionOnDelete: 'Cascade' }, inbox: true, preferences: true });
  });

  it('is off for an app without any of the models', () => {
    const none = { ...datamodel, models: datamodel.models.filter((m) => !['PushDevice', 'Notification', 'NotificationPreference'].includes(m.name)) };
    expect(resolveNotifyModels(none, { auth: true })).toBeNull();
  });

  it('names each missing or misdeclared field and how to declare it', () => {
    const dropField = (field: string) => (m: Model) => ({ ...m, fields: m.fields.filter((f) => f.name !== field) });
    expect(problems(withModel('PushDevice', dropField('address')))).toMatch(/PushDevice\.address: missing; add `address String @unique`/);
    expect(problems(withModel('Notification', dropField('readAt')))).toMatch(/Notification\.readAt: missing; add `readAt DateTime\?`/);
    expect(problems(withModel('NotificationPreference', dropField('enabled')))).toMatch(/NotificationPreference\.enabled: missing; add `enabled Boolean`/);
    const notUnique = withModel('PushDevice', (m) => ({ ...m, fields: m.fields.map((f) => (f.name === 'address' ? { ...f, isUnique: false } : f)) }));
    expect(problems(notUnique)).toMatch(/PushDevice\.address: expected `address String @unique`, found String without the attribute/);
    const required = withModel('Notification', (m) => ({ ...m, fields: m.fields.map((f) => (f.name === 'title' ? { ...f, isRequired: true } : f)) }));
    expect(problems(required)).toMatch(/Notification\.title: expected `title String\?`, found String/);
    const restrict = withModel('PushDevice', (m) => ({ ...m, fields: m.fields.map((f) => (f.name === 'session' ? { ...f, relationOnDelete: 'Restrict' } : f)) }));
    expect(problems(restrict)).toMatch(/PushDevice\.session: expected `session Session\? @relation\(fields: \[sessionId\], references: \[id\], onDelete: Cascade\)`/);
  });

  it('turns on the part of each model declared: a push-only app has no inbox', () => {
    const gone = ['Notification', 'NotificationPreference'];
    const pushOnly = {
      ...datamodel,
      models: datamodel.models.filter((m) => !gone.includes(m.name)).map((m) => ({ ...m, fields: m.fields.filter((f) => !gone.includes(f.type)) })),
    };
    expect(resolveNotifyModels(pushOnly, { auth: true })).toEqual({ userId: 'Int', devices: { sessionOnDelete: 'Cascade' }, inbox: false, preferences: false });
    const api = createNotifyApi({
      datamodel: pushOnly,
      auth: true,
      db: {} as never,
      provider: 'sqlite',
      bus: createEventBus({}),
      types: new Map(),
      platforms: ['webpush'],
      production: false,
      maxPageSize: 100,
      maxDevicesPerUser: 20,
      sessionOf: () => undefined,
      gap: () => {},
    })!;
    const schema = buildSchema({ datamodel: pushOnly, dbNull: null, extensions: [api.extendSchema] });
    const fields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.keys(type.getFields())).filter((f) => notifyFields.includes(f));
    expect(fields.sort()).toEqual(['myPushDevices', 'registerPushDevice', 'unregisterPushDevice']);
    expect(schema.getType('Notification')).toBeUndefined();
    const inboxOnly = { ...datamodel, models: datamodel.models.filter((m) => m.name !== 'PushDevice') };
    expect(resolveNotifyModels(inboxOnly, { auth: true })).toMatchObject({ devices: null, inbox: true, preferences: true });
  });

  it('demands the declared models hidden, with their keys, and auth', () => {
    expect(problems(withModel('Notification', (m) => ({ ...m, documentation: undefined })))).toMatch(/Notification: mark the model \/\/\/ @hidden/);
    expect(problems(withModel('Notification', (m) => ({ ...m, uniqueIndexes: [] })))).toMatch(/Notification: add @@unique\(\[userId, key\]\)/);
    expect(problems(withModel('NotificationPreference', (m) => ({ ...m, primaryKey: null })))).toMatch(/NotificationPreference: add @@id\(\[userId, type, channel\]\)/);
    const extra = withModel('PushDevice', (m) => ({ ...m, fields: [...m.fields, { ...m.fields.find((f) => f.name === 'platform')!, name: 'osVersion' }] }));
    expect(problems(extra)).toMatch(/PushDevice\.osVersion: Cairn cannot fill it; make it optional or give it a @default/);
    expect(problems(datamodel, false)).toMatch(/the auth models/);
  });
});

describe('apps without the models get no notification API', () => {
  let tenancy: TestApp;
  let blog: TestApp;
  beforeAll(async () => {
    tenancy = await createTestApp('tenancy', 'sqlite', {}, { viewerHeader: true });
    blog = await createTestApp('blog', 'sqlite', { PUBLIC_URL: 'http://cairn.test' });
  });
  afterAll(async () => {
    await tenancy?.close();
    await blog?.close();
  });
  const rootFields = (t: TestApp) =>
    ['Query', 'Mutation', 'Subscription'].flatMap((name) => Object.keys((t.app.schema.getType(name) as GraphQLObjectType | undefined)?.getFields() ?? {}));

  it('leaves the SDL of a fixture without them alone, and adds the fields to one with them', () => {
    expect(tenancy.app.notificationApi).toBeNull();
    expect(rootFields(tenancy).filter((f) => notifyFields.includes(f))).toEqual([]);
    expect(tenancy.app.schema.getType('PushDevice')).toBeUndefined();
    expect(blog.app.notificationApi).not.toBeNull();
    expect(rootFields(blog).filter((f) => notifyFields.includes(f)).sort()).toEqual([...notifyFields].sort());
    const connection = blog.app.schema.getQueryType()!.getFields().notifications!;
    expect(getNamedType(connection.type).name).toBe('NotificationConnection');
  });
});
