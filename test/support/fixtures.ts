import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Schemas the integration suites run against; the example app plus fixtures unlike it. */
export const fixtures = {
  /**
   * The example app in examples/blog/ (a blog: users, posts, comments, tags, follows, clubs), the
   * one `npm start` serves. Its clients are the ones `npm run generate` writes there.
   */
  blog: { schema: `${root}examples/blog/prisma/schema.prisma`, generated: `${root}examples/blog/src/generated` },
  /** Composite ids, compound uniques, Json/Decimal/BigInt/Bytes, enums, self-relations, implicit m2m. */
  catalog: { schema: `${root}test/fixtures/catalog/schema.prisma`, generated: `${root}test/fixtures/catalog/generated` },
  /** Access rules unlike the example app's: no auth models, string and composite ids, two-hop paths, every/none. */
  tenancy: { schema: `${root}test/fixtures/tenancy/schema.prisma`, generated: `${root}test/fixtures/tenancy/generated` },
  /** PostgreSQL-only: scalar lists. */
  pglists: { schema: `${root}test/fixtures/pglists/schema.prisma`, generated: `${root}test/fixtures/pglists/generated` },
  /** File fields (src/storage): an image, a field-ruled PDF, a list of attachments, drafts hidden by the parent's rule. */
  files: { schema: `${root}test/storage/fixture/schema.prisma`, generated: `${root}test/storage/fixture/generated` },
} as const;

export type FixtureName = keyof typeof fixtures;

/** Signs file links in suites that run the example app in production (which requires a secret). */
export const testStorageSecret = 'test-storage-secret-0123456789abcdef';
