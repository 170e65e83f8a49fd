import { badInput } from '../errors.ts';

/** The database providers Cairn generates clients for and connects to. */
export const providers = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof providers)[number];

/** Picks the provider from a DATABASE_URL: `file:` is SQLite, `postgres(ql)://` is PostgreSQL. */
export function providerOf(databaseUrl: string): Provider {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  throw badInput(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL), got "${databaseUrl.split(':')[0]}:…"`,
  );
}

/** The SQLite file path of a `file:` URL (relative paths resolve against the working directory). */
export function sqliteFilePath(databaseUrl: string): string {
  return databaseUrl.slice('file:'.length).split('?')[0]!;
}
