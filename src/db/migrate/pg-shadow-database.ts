import { randomUUID } from 'node:crypto';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { createAdapter } from '../create-adapter.ts';
import { withPgCharAsText } from '../pg-char-workaround.ts';

/**
 * A throw-away PostgreSQL database for the engine to replay migrations in (drift checks, new
 * migrations). Needed because adapter-pg's own `connectToShadowDb` creates the database but then
 * connects with `{ connectionString, database }`, where pg lets the connection string win: the
 * "shadow" would be the main database, and the engine would replay every migration on it.
 * Requires the CREATEDB privilege, like Prisma's shadow database.
 */
export async function connectPgShadowDatabase(databaseUrl: string, admin: SqlDriverAdapter): Promise<SqlDriverAdapter> {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  try {
    const shadow = await withPgCharAsText(createAdapter(url.toString(), { poolSize: 1 })).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
    };
    return shadow;
  } catch (error) {
    await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
    throw error;
  }
}
