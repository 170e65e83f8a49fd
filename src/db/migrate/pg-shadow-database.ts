import { randomUUID } from 'node:crypto';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { createAdapter } from '../create-adapter.ts';
import { withPgCharAsText } from '../pg-char-workaround.ts';

/** Shadow databases for one migration session: `connect()` hands out an empty one each time. */
export interface PgShadowDatabases {
  connect(): Promise<SqlDriverAdapter>;
  /** Closes what is still open and drops the database. */
  dispose(): Promise<void>;
}

/**
 * Throw-away PostgreSQL databases for the engine to replay migrations in (drift checks, new
 * migrations). Replaces adapter-pg's `connectToShadowDb`, which creates the database but then
 * connects with `{ connectionString, database }`, where pg lets the connection string win: its
 * "shadow" is the main database, and the engine would replay every migration there.
 * One database per session, emptied between uses (a `migrate dev` asks for several, and
 * CREATE/DROP DATABASE cost about half a second each). Requires CREATEDB, like Prisma's.
 */
export function createPgShadowDatabases(databaseUrl: string, admin: SqlDriverAdapter): PgShadowDatabases {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const schema = url.searchParams.get('schema') ?? 'public';
  const open = new Set<SqlDriverAdapter>();
  let created = false;
  return {
    async connect() {
      if (!created) await admin.executeScript(`CREATE DATABASE "${name}"`);
      created = true;
      const shadow = await withPgCharAsText(createAdapter(url.toString(), { poolSize: 1 })).connect();
      await shadow.executeScript(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}";`);
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        if (open.delete(shadow)) await dispose();
      };
      open.add(shadow);
      return shadow;
    },
    async dispose() {
      for (const shadow of [...open]) await shadow.dispose();
      if (created) await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
    },
  };
}
