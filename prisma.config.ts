import { defineConfig } from 'prisma/config';

/**
 * For Prisma's own CLI (`prisma migrate deploy`, `prisma studio`) where its engine can be
 * downloaded; Cairn's CLI does the same offline. The migrations folder (one per provider) and the
 * `_prisma_migrations` table are shared, so either can take over. This file serves the example
 * app (examples/blog); `cairn init` writes one for each new app.
 */
const url = process.env.DATABASE_URL ?? 'file:./data/cairn.db';
const provider = url.startsWith('file:') ? 'sqlite' : 'postgresql';

export default defineConfig({
  schema: 'examples/blog/prisma/schema.prisma',
  migrations: { path: `examples/blog/prisma/migrations/${provider}` },
  datasource: { url },
});
