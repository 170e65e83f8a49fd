import { checkModelField, isHidden, type Datamodel, type Field, type FieldRule, type Model } from '../../db/index.ts';

/** What the notification API learned about the app's models at boot: each model present turns its part on. */
export interface NotifyModels {
  /** The type of `User.id` (and of every `userId`). */
  userId: 'Int' | 'String';
  /** PushDevice: what ends a device with its session (`Cascade`: sign-out removes it; `SetNull`: kept until unregistered). */
  devices: { sessionOnDelete: 'Cascade' | 'SetNull' } | null;
  /** Notification: the in-app inbox and `notificationAdded`. */
  inbox: boolean;
  /** NotificationPreference: preferences per type and channel. */
  preferences: boolean;
}

/** The models Cairn's push devices and in-app inbox read and write; their presence turns the API on. */
export const notifyModelNames = ['PushDevice', 'Notification', 'NotificationPreference'] as const;

const relation = (target: string, hint: string): FieldRule => ({ name: target.toLowerCase(), type: target, hint, check: (f) => f.kind === 'object' });
const onDelete = (field: Field) => field.relationOnDelete === 'Cascade' || field.relationOnDelete === 'SetNull';

/** The fields Cairn needs (README "Push notifications" shows the models whole). Apps may add optional fields of their own. */
function requirements(userId: string): Record<(typeof notifyModelNames)[number], FieldRule[]> {
  const owner: FieldRule[] = [
    { name: 'userId', type: userId, hint: `userId ${userId}` },
    relation('User', 'user User @relation(fields: [userId], references: [id], onDelete: Cascade)'),
  ];
  const text = (name: string): FieldRule => ({ name, type: 'String', optional: true, hint: `${name} String?` });
  const time = (name: string): FieldRule => ({ name, type: 'DateTime', optional: true, hint: `${name} DateTime?` });
  const createdAt: FieldRule = { name: 'createdAt', type: 'DateTime', hint: 'createdAt DateTime @default(now())', check: (f) => f.hasDefaultValue };
  return {
    PushDevice: [
      { name: 'id', type: 'String', hint: 'id String @id', check: (f) => f.isId },
      ...owner,
      { name: 'sessionId', type: 'String', optional: true, hint: 'sessionId String?' },
      {
        name: 'session',
        type: 'Session',
        optional: true,
        hint: 'session Session? @relation(fields: [sessionId], references: [id], onDelete: Cascade)',
        check: (f) => f.kind === 'object' && onDelete(f),
      },
      { name: 'platform', type: 'String', hint: 'platform String' },
      { name: 'address', type: 'String', hint: 'address String @unique', check: (f) => f.isUnique },
      text('keys'),
      text('name'),
      createdAt,
      time('lastSentAt'),
    ],
    Notification: [
      { name: 'id', type: 'String', hint: 'id String @id', check: (f) => f.isId },
      ...owner,
      { name: 'type', type: 'String', hint: 'type String' },
      ...['title', 'body', 'data', 'url', 'key'].map(text),
      ...['seenAt', 'readAt', 'archivedAt'].map(time),
      createdAt,
    ],
    NotificationPreference: [
      ...owner,
      { name: 'type', type: 'String', hint: 'type String' },
      { name: 'channel', type: 'String', hint: 'channel String' },
      { name: 'enabled', type: 'Boolean', hint: 'enabled Boolean' },
    ],
  };
}

/**
 * Checks the app's schema for what push devices, the inbox and preferences need. Null when it
 * declares none of PushDevice, Notification, NotificationPreference: such an app gets no
 * notification API at all. Each model declared turns its part of the API on (push-only apps have
 * no Notification model); every gap in a declared one is a boot error naming the field and how
 * to declare it.
 */
export function resolveNotifyModels(datamodel: Datamodel, options: { auth: boolean }): NotifyModels | null {
  const model = (name: string) => datamodel.models.find((m) => m.name === name);
  if (!notifyModelNames.some(model)) return null;
  const problems: string[] = [];
  if (!options.auth) problems.push('the auth models (User, Session, Account, AuthToken): notifications belong to signed-in users; see README "Authentication"');
  const idField = model('User')?.fields.find((f) => f.isId);
  const userId = idField?.type === 'Int' ? 'Int' : 'String';
  for (const [name, rules] of Object.entries(requirements(userId))) {
    const found = model(name);
    if (!found) continue;
    if (!isHidden(found)) problems.push(`${name}: mark the model /// @hidden (Cairn serves it through its own fields)`);
    for (const rule of rules) problems.push(...checkModelField(found, rule));
    problems.push(...unfillable(found, new Set(rules.map((r) => r.name))));
  }
  const notification = model('Notification');
  if (notification && !notification.uniqueIndexes.some((i) => i.fields.join() === 'userId,key')) problems.push('Notification: add @@unique([userId, key])');
  const preference = model('NotificationPreference');
  if (preference && preference.primaryKey?.fields.join() !== 'userId,type,channel') problems.push('NotificationPreference: add @@id([userId, type, channel])');
  if (problems.length) throw new Error(`schema.prisma is not ready for Cairn's notifications:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const session = model('PushDevice')?.fields.find((f) => f.name === 'session');
  return {
    userId,
    devices: session ? { sessionOnDelete: session.relationOnDelete as 'Cascade' | 'SetNull' } : null,
    inbox: !!notification,
    preferences: !!preference,
  };
}

/** Required columns of the app's own that Cairn's inserts cannot fill. */
function unfillable(model: Model, own: Set<string>): string[] {
  return model.fields
    .filter((f) => f.kind !== 'object' && f.isRequired && !f.hasDefaultValue && !f.isUpdatedAt && !own.has(f.name))
    .map((f) => `${model.name}.${f.name}: Cairn cannot fill it; make it optional or give it a @default`);
}
