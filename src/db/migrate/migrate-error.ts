/**
 * A migration command that stopped on purpose, with what to do about it. `code` is Prisma's error
 * code where one exists (P3018 failed migration, P3009 failed migration blocking, P3005 unmanaged
 * database), else a Cairn name.
 */
export class MigrateError extends Error {
  readonly code: string;
  /** Commands or actions that resolve it, in order. */
  readonly nextSteps: string[];
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, nextSteps: string[] = [], details: Record<string, unknown> = {}) {
    super(nextSteps.length ? `${message}\n\nNext steps:\n${nextSteps.map((s) => `  - ${s}`).join('\n')}` : message);
    this.name = 'MigrateError';
    this.code = code;
    this.nextSteps = nextSteps;
    this.details = details;
  }
}

/** What to do about a failed migration, whether it failed just now or in an earlier deploy. */
export function failedMigrationSteps(name: string): string[] {
  return [
    `Undo whatever part of ${name} did apply (migrations are not run in a transaction), or finish it by hand.`,
    `Fix ${name}/migration.sql in the migrations folder if the SQL is wrong.`,
    `Run \`cairn migrate resolve --rolled-back ${name}\` so it is applied again, then \`cairn migrate deploy\`.`,
    `(If you completed it by hand instead: \`cairn migrate resolve --applied ${name}\`.)`,
  ];
}
