import { checkModelField, isHidden, type Datamodel, type FieldRule, type Model } from '../db/index.ts';

/** What auth learned about the app's models at boot; resolvers never inspect the datamodel again. */
export interface AuthModels {
  /** The type of `User.id` (and of every `userId`). */
  userId: 'Int' | 'String';
  /** Whether User has a `name String` field that signUp may fill. */
  userHasName: boolean;
}

const cairnModels = ['Session', 'Account', 'AuthToken'] as const;

/**
 * The fields Cairn's auth reads and writes (README "Auth" lists them for app authors). Apps may
 * add any field of their own, as long as sign-up can create a user without it (optional or
 * with a default).
 */
function requirements(userId: string): Record<string, FieldRule[]> {
  const owner = (idHint: string): FieldRule[] => [
    { name: 'userId', type: userId, hint: `userId ${userId}` },
    { name: 'user', type: 'User', hint: 'user User @relation(fields: [userId], references: [id], onDelete: Cascade)', check: (f) => f.kind === 'object' },
    { name: 'id', type: 'String', hint: idHint, check: (f) => f.isId },
  ];
  return {
    User: [
      { name: 'email', type: 'String', hint: 'email String @unique', check: (f) => f.isUnique },
      { name: 'passwordHash', type: 'String', optional: true, hint: 'passwordHash String? /// @hidden', check: isHidden },
      { name: 'roles', type: 'String', hint: 'roles String @default("user")', check: (f) => f.hasDefaultValue },
      { name: 'emailVerified', type: 'Boolean', hint: 'emailVerified Boolean @default(false)', check: (f) => f.hasDefaultValue },
    ],
    Session: [
      ...owner('id String @id'),
      { name: 'expiresAt', type: 'DateTime', hint: 'expiresAt DateTime' },
      { name: 'createdAt', type: 'DateTime', hint: 'createdAt DateTime @default(now())' },
      { name: 'userAgent', type: 'String', optional: true, hint: 'userAgent String?' },
      { name: 'ip', type: 'String', optional: true, hint: 'ip String?' },
    ],
    Account: [
      ...owner('id Int @id @default(autoincrement())').filter((r) => r.name !== 'id'),
      { name: 'provider', type: 'String', hint: 'provider String' },
      { name: 'providerAccountId', type: 'String', hint: 'providerAccountId String' },
    ],
    AuthToken: [
      ...owner('id String @id'),
      { name: 'kind', type: 'String', hint: 'kind String' },
      { name: 'name', type: 'String', optional: true, hint: 'name String?' },
      { name: 'email', type: 'String', optional: true, hint: 'email String?' },
      { name: 'expiresAt', type: 'DateTime', optional: true, hint: 'expiresAt DateTime?' },
      { name: 'lastUsedAt', type: 'DateTime', optional: true, hint: 'lastUsedAt DateTime?' },
      { name: 'createdAt', type: 'DateTime', hint: 'createdAt DateTime @default(now())' },
    ],
  };
}

/**
 * Checks the app's schema for what auth needs and returns its shape. Null when the schema uses
 * no auth at all (none of Session/Account/AuthToken, no User.passwordHash): such an app serves
 * its API without sign-in. Once any of them appears, everything missing is a boot error that
 * lists each gap and how to declare it.
 */
export function resolveAuthModels(datamodel: Datamodel): AuthModels | null {
  const model = (name: string) => datamodel.models.find((m) => m.name === name);
  const user = model('User');
  const wantsAuth = cairnModels.some(model) || user?.fields.some((f) => f.name === 'passwordHash');
  if (!wantsAuth) return null;

  const problems: string[] = [];
  const idField = user?.fields.find((f) => f.isId);
  const userId = idField?.type === 'Int' ? 'Int' : 'String';
  if (!user) problems.push('model User: missing (see README "Auth" for the fields it needs)');
  else if (!idField || !['Int', 'String'].includes(idField.type) || !idField.hasDefaultValue) {
    problems.push('User: needs a single @id field of type Int or String with a @default (e.g. `id Int @id @default(autoincrement())`)');
  }
  if (user && isHidden(user)) problems.push('User: must not be /// @hidden (`me` returns it)');

  for (const [name, rules] of Object.entries(requirements(userId))) {
    const found = model(name);
    if (!found) {
      if (name !== 'User') problems.push(`model ${name}: missing; declare it as in README "Auth"`);
      continue;
    }
    if (name !== 'User' && !isHidden(found)) problems.push(`${name}: mark the model /// @hidden (it holds secrets)`);
    for (const rule of rules) problems.push(...checkModelField(found, rule));
  }
  if (user) problems.push(...unfillable(user));
  const account = model('Account');
  if (account && !account.uniqueIndexes.some((i) => i.fields.join() === 'provider,providerAccountId')) {
    problems.push('Account: add @@unique([provider, providerAccountId])');
  }
  if (problems.length) {
    throw new Error(`schema.prisma is not ready for Cairn's auth:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const name = user!.fields.find((f) => f.name === 'name');
  return { userId, userHasName: name?.kind === 'scalar' && name.type === 'String' && !name.isList };
}

/** Required scalar fields sign-up (or OAuth) cannot fill: they would make every sign-up fail. */
function unfillable(user: Model): string[] {
  const own = new Set(['id', 'email', 'roles', 'emailVerified', 'passwordHash']);
  return user.fields
    .filter((f) => f.kind !== 'object' && f.isRequired && !f.hasDefaultValue && !f.isUpdatedAt && !own.has(f.name) && !f.isId)
    .map((f) => `User.${f.name}: sign-up cannot fill it; make it optional or give it a @default`);
}
