import type Database from 'better-sqlite3';
import { deleteOrder, type TableSpec } from './generate.ts';

/**
 * Replaces every row of the example app's tables with the generated dataset, in one transaction
 * with prepared statements. Timestamps are stored as Prisma's SQLite adapter writes them
 * (ISO 8601 with `+00:00`), so raw SQL and Prisma read the same values.
 */
export function seedSqlite(db: Database.Database, tables: TableSpec[], log: (line: string) => void): void {
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const table of deleteOrder) db.prepare(`DELETE FROM "${table}"`).run();
    for (const spec of tables) {
      const started = Date.now();
      const columns = spec.columns.map(([name]) => `"${name}"`).join(', ');
      const insert = db.prepare(`INSERT INTO "${spec.table}" (${columns}) VALUES (${spec.columns.map(() => '?').join(', ')})`);
      let count = 0;
      for (const row of spec.rows()) {
        insert.run(row.map((cell, i) => (cell !== null && spec.columns[i]![1] === 'timestamp' ? new Date(cell).toISOString().replace('Z', '+00:00') : cell)));
        count++;
      }
      log(`  ${spec.table}: ${count.toLocaleString('en-US')} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  })();
  db.exec('ANALYZE');
}
