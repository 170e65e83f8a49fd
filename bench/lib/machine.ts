import { cpus, totalmem, release } from 'node:os';
import pg from 'pg';
import type { BenchDatabase } from '../dataset/prepare-database.ts';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  database: string;
}

/** What the numbers were measured on (printed and written with them). */
export async function machineInfo(database: BenchDatabase): Promise<MachineInfo> {
  let version = 'SQLite (better-sqlite3)';
  if (database.pg) {
    const client = new pg.Client({ connectionString: database.pg.url });
    await client.connect();
    version = `PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}`;
    await client.end();
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    database: version,
  };
}
