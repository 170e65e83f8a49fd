import { describe, expect, it } from 'vitest';
import { formatChange, splitStatements, summarizeMigration } from './summarize-migration.ts';

const summary = (sql: string) => summarizeMigration(sql).map(formatChange);

describe('summarizeMigration', () => {
  it('reads a PostgreSQL migration: enum rebuild, foreign keys, multi-clause ALTER TABLE, tables and indexes', () => {
    const sql = `/*
  Warnings:

  - You are about to drop the column \`name\` on the \`User\` table. All the data in the column will be lost.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;

-- DropForeignKey
ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";

-- DropIndex
DROP INDEX "User_email_key";

-- AlterTable
ALTER TABLE "User" DROP COLUMN "name",
ADD COLUMN     "handle" TEXT NOT NULL,
ALTER COLUMN "age" SET DATA TYPE BIGINT;

-- DropTable
DROP TABLE "Post";

-- CreateTable
CREATE TABLE "Comment" (
    "id" INTEGER NOT NULL,
    "postId" INTEGER NOT NULL,

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;
    expect(summary(sql)).toEqual([
      '~ altered enum Role',
      '~ altered column User.role',
      '- dropped foreign key Post.Post_authorId_fkey',
      '- dropped index User_email_key',
      '- dropped column User.name',
      '+ created column User.handle',
      '~ altered column User.age',
      '- dropped table Post',
      '+ created table Comment',
      '+ created index User_handle_key on User',
      '+ created foreign key Comment.Comment_postId_fkey',
    ]);
  });

  it('reports a SQLite table rebuild as the table altered, with added and (from the warnings) dropped columns', () => {
    const sql = `/*
  Warnings:

  - You are about to drop the column \`name\` on the \`User\` table. All the data in the column will be lost.

*/
-- DropIndex
DROP INDEX "Post_authorId_idx";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "Post";
PRAGMA foreign_keys=on;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "handle" TEXT NOT NULL
);
INSERT INTO "new_User" ("email", "id") SELECT "email", "id" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;
    expect(summary(sql)).toEqual([
      '- dropped index Post_authorId_idx',
      '- dropped table Post',
      '~ altered table User',
      '+ created column User.handle',
      '+ created index User_handle_key on User',
      '- dropped column User.name',
    ]);
  });

  it('reads hand-written SQL: renames, ADD COLUMN on SQLite, schema-qualified names', () => {
    expect(
      summary(`ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";
ALTER TABLE "Note" ADD COLUMN "body" TEXT;
ALTER TABLE "public"."Post" RENAME TO "Article";
ALTER INDEX "a_idx" RENAME TO "b_idx";
UPDATE "User" SET "fullName" = 'x';`),
    ).toEqual([
      '> renamed column User.name → fullName',
      '+ created column Note.body',
      '> renamed table Post → Article',
      '> renamed index a_idx → b_idx',
    ]);
  });

  it('returns nothing for a script without schema changes', () => {
    expect(summarizeMigration("-- just data\nINSERT INTO \"Tag\" (\"name\") VALUES ('a;b');\n")).toEqual([]);
  });
});

describe('splitStatements', () => {
  it('drops comments and splits on statement-ending semicolons only', () => {
    expect(splitStatements("/* header */\n-- c\nSELECT 'a;b';\nSELECT 2;")).toEqual(["SELECT 'a;b'", 'SELECT 2']);
  });
});
