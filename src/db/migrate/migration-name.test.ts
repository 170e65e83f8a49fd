import { describe, expect, it } from 'vitest';
import { nextMigrationName, slugifyMigrationName } from './migration-name.ts';

describe('slugifyMigrationName', () => {
  it('makes a folder-safe snake_case name, like Prisma', () => {
    expect(slugifyMigrationName('Add posts & tags!')).toBe('add_posts_tags');
    expect(slugifyMigrationName('  Größe ändern ')).toBe('grosse_andern');
    expect(slugifyMigrationName('---')).toBe('');
    expect(slugifyMigrationName('x'.repeat(300))).toHaveLength(200);
  });
});

describe('nextMigrationName', () => {
  it('keeps the engine\'s name when it sorts after every existing migration', () => {
    expect(nextMigrationName('20240102000000_b', ['20240101000000_a'])).toBe('20240102000000_b');
    expect(nextMigrationName('20240102000000_b', [])).toBe('20240102000000_b');
  });

  it('moves the timestamp one second past the newest migration on a collision or a clock behind', () => {
    expect(nextMigrationName('20240101000000_b', ['20240101000000_a'])).toBe('20240101000001_b');
    expect(nextMigrationName('20240101000000_b', ['20241231235959_z', '20240101000000_a'])).toBe('20250101000000_b');
  });
});
