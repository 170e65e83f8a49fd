/**
 * The PostgreSQL schema Cairn's own tables (pg-boss, webhook outbox) live in: `cairn` beside an
 * app in `public`, `<schema>_cairn` beside an app in another schema (`?schema=` in the URL). Outside
 * the app's schema, Prisma's push and migrations never see (or drop) them.
 */
export function systemSchema(databaseUrl: string): string {
  const schema = new URL(databaseUrl).searchParams.get('schema');
  return !schema || schema === 'public' ? 'cairn' : `${schema}_cairn`;
}
