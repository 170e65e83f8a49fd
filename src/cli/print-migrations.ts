import { formatChange, type AppliedMigration, type SchemaChange } from '../db/index.ts';
import type { Io } from './create-io.ts';

/** Lines for changes, `    + created table Post`, or a note when the SQL holds no schema change. */
export function printChanges(io: Io, changes: SchemaChange[], indent = '    '): void {
  if (!changes.length) io.out(`${indent}(no table, column, index or enum changes)`);
  for (const change of changes) io.out(`${indent}${formatChange(change)}`);
}

export function printApplied(io: Io, migrations: AppliedMigration[]): void {
  for (const migration of migrations) {
    io.out(`  ✔ ${migration.name}`);
    printChanges(io, migration.changes);
  }
}
