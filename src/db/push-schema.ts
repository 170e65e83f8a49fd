import { readFileSync } from 'node:fs';
import { withMigrationSession } from './migrate/index.ts';
import { providerOf } from './provider.ts';
import { systemTableFilters } from './system-tables.ts';

export interface PushOptions {
  databaseUrl: string;
  /** The provider-specific schema written by `cairn generate` (`<generated>/<provider>/schema.prisma`). */
  schemaPath: string;
  /** Apply changes that lose data (dropped columns or tables). @default false */
  acceptDataLoss?: boolean;
}

export interface PushResult {
  executedSteps: number;
  warnings: string[];
}

/** Thrown when the push would lose data or cannot run; names every reason Prisma gave. */
export class SchemaPushError extends Error {
  readonly warnings: string[];
  readonly unexecutable: string[];
  constructor(warnings: string[], unexecutable: string[]) {
    super(
      [
        'The database was left unchanged: bringing it in line with the schema would',
        ...[...unexecutable, ...warnings].map((line) => `  - ${line}`),
        warnings.length && !unexecutable.length ? 'Run `cairn db push --accept-data-loss` to apply it anyway.' : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    this.name = 'SchemaPushError';
    this.warnings = warnings;
    this.unexecutable = unexecutable;
  }
}

/**
 * Brings the database in line with the schema (`prisma db push`), through the wasm schema engine,
 * on a migration session: one connection, closed afterwards. Like `prisma db push`, it takes no
 * migration lock (test suites push many schemas of one database at once).
 */
export async function pushSchema(options: PushOptions): Promise<PushResult> {
  const content = readFileSync(options.schemaPath, 'utf8');
  const schema = { path: options.schemaPath, content };
  return withMigrationSession({ databaseUrl: options.databaseUrl, schema, lock: false }, async ({ engine }) => {
    const result = await engine.schemaPush({
      force: options.acceptDataLoss ?? false,
      schema: { files: [schema] },
      filters: systemTableFilters(providerOf(options.databaseUrl)),
    });
    if (result.unexecutable.length || (result.warnings.length && !options.acceptDataLoss)) {
      throw new SchemaPushError(result.warnings, result.unexecutable);
    }
    return { executedSteps: result.executedSteps, warnings: result.warnings };
  });
}
