const timestampPattern = /^(\d{14})(_.*)?$/;

/** `Add posts & tags!` → `add_posts_tags`: Prisma's slugify with `_` as separator, at most 200 characters. */
export function slugifyMigrationName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

const formatTimestamp = (date: Date) => date.toISOString().replace(/\D/g, '').slice(0, 14);

function parseTimestamp(stamp: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(stamp)!;
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
}

/**
 * The folder name for a new migration. The engine stamps `<YYYYMMDDHHMMSS>_<name>` from the clock
 * (UTC, one-second resolution); two migrations in one second, or a clock behind the newest
 * migration, would collide or sort before it, so the stamp is moved one second past the newest.
 */
export function nextMigrationName(generated: string, existing: readonly string[]): string {
  const match = timestampPattern.exec(generated);
  if (!match) return generated;
  const newest = existing
    .map((name) => timestampPattern.exec(name)?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .at(-1);
  if (!newest || match[1]! > newest) return generated;
  const bumped = formatTimestamp(new Date(parseTimestamp(newest).getTime() + 1000));
  return `${bumped}${match[2] ?? ''}`;
}
