import { defineConfig } from 'prisma/config';

/**
 * For Prisma's own CLI (`prisma migrate deploy`, `prisma studio`) where its engine can be
 * downloaded; Cairn's CLI does the same offline. The migrations folder and `_prisma_migrations`
 * table are shared, so either can take over.
 */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/cairn.db' },
});
