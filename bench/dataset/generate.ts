import { createRng, type Rng } from './prng.ts';
import type { DatasetSize } from './sizes.ts';

export type ColumnType = 'int' | 'float' | 'text' | 'timestamp' | 'PostStatus';
/** A cell: numbers, strings, null; timestamps are epoch milliseconds (each seeder formats them). */
export type Cell = number | string | null;

export interface TableSpec {
  table: string;
  columns: [name: string, type: ColumnType][];
  /** Rows in insertion order (parents before children). */
  rows(): Generator<Cell[]>;
  /** Serial column whose sequence must be advanced past the inserted ids (PostgreSQL). */
  serial?: string;
}

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 0, 1);
/** Words titles, bodies and tag names are made of; the search shape looks for some of them. */
export const words = (
  'graph query schema index cache shard replica vector stream cursor buffer kernel socket packet router ' +
  'signal lambda tensor pixel shader widget module bundle runtime compiler parser lexer token plugin ' +
  'gateway tunnel beacon harbor meadow canyon summit glacier river forest desert island valley prairie ' +
  'ember frost thunder breeze comet nebula quasar orbit rocket anchor compass lantern mirror'
).split(' ');
/** First names of users; the search shape filters posts by their author's name. */
export const firstNames = 'Ada Alan Grace Linus Barbara Ken Dennis Margaret Edsger Donald Frances John Radia Leslie Tim'.split(' ');

const sentence = (rng: Rng, min: number, max: number) =>
  Array.from({ length: rng.int(min, max) }, () => rng.pick(words)).join(' ');

/**
 * The example app's rows for one size, deterministic for a seed: every table has its own stream,
 * so tables can be generated (and streamed to the database) one at a time.
 */
export function datasetTables(size: DatasetSize, seed: number): TableSpec[] {
  const rngFor = (table: number) => createRng(seed * 1000 + table);
  return [
    {
      table: 'User',
      serial: 'id',
      // Only columns every version of the example schema had; the rest take their defaults.
      columns: [['id', 'int'], ['email', 'text'], ['name', 'text'], ['createdAt', 'timestamp'], ['updatedAt', 'timestamp']],
      *rows() {
        const rng = rngFor(1);
        for (let id = 1; id <= size.users; id++) {
          const created = BASE - 365 * DAY + Math.floor((id / size.users) * 365 * DAY);
          yield [id, `user${id}@bench.test`, `${rng.pick(firstNames)} ${id}`, created, created];
        }
      },
    },
    {
      table: 'Profile',
      serial: 'id',
      columns: [['id', 'int'], ['bio', 'text'], ['website', 'text'], ['userId', 'int']],
      *rows() {
        const rng = rngFor(2);
        let id = 0;
        for (let userId = 1; userId <= size.users; userId++) {
          if (rng.chance(0.5)) yield [++id, sentence(rng, 5, 15), rng.chance(0.5) ? `https://u${userId}.example` : null, userId];
        }
      },
    },
    {
      table: 'Tag',
      serial: 'id',
      columns: [['id', 'int'], ['name', 'text']],
      *rows() {
        for (let id = 1; id <= size.tags; id++) yield [id, `${words[id % words.length]}-${id}`];
      },
    },
    {
      table: 'Post',
      serial: 'id',
      columns: [
        ['id', 'int'], ['title', 'text'], ['slug', 'text'], ['body', 'text'], ['status', 'PostStatus'], ['views', 'int'],
        ['rating', 'float'], ['publishedAt', 'timestamp'], ['createdAt', 'timestamp'], ['updatedAt', 'timestamp'], ['authorId', 'int'],
      ],
      *rows() {
        const rng = rngFor(3);
        for (let id = 1; id <= size.posts; id++) {
          const created = BASE + Math.floor((id / size.posts) * 365 * DAY);
          const roll = rng.next();
          const status = roll < 0.7 ? 'PUBLISHED' : roll < 0.9 ? 'DRAFT' : 'ARCHIVED';
          const title = sentence(rng, 4, 8);
          yield [
            id, title, `post-${id}`, sentence(rng, 20, 60), status, rng.int(0, 10_000),
            rng.chance(0.3) ? null : Math.round((1 + rng.next() * 4) * 10) / 10,
            status === 'PUBLISHED' ? created + rng.int(0, 3 * DAY) : null, created, created, rng.int(1, size.users),
          ];
        }
      },
    },
    {
      // Prisma's implicit many-to-many table: A is Post.id, B is Tag.id (models in name order).
      table: '_PostToTag',
      columns: [['A', 'int'], ['B', 'int']],
      *rows() {
        const rng = rngFor(4);
        for (let post = 1; post <= size.posts; post++) {
          const tags = new Set(Array.from({ length: rng.int(0, 3) }, () => rng.int(1, size.tags)));
          for (const tag of [...tags].sort((a, b) => a - b)) yield [post, tag];
        }
      },
    },
    {
      table: 'Comment',
      serial: 'id',
      columns: [['id', 'int'], ['body', 'text'], ['createdAt', 'timestamp'], ['postId', 'int'], ['authorId', 'int'], ['parentId', 'int']],
      *rows() {
        const rng = rngFor(5);
        // The latest comment per post: a fifth of comments reply to it, so threads exist.
        const latest = new Int32Array(size.posts + 1);
        for (let id = 1; id <= size.comments; id++) {
          const postId = rng.int(1, size.posts);
          const postCreated = BASE + Math.floor((postId / size.posts) * 365 * DAY);
          const parentId = latest[postId]! > 0 && rng.chance(0.2) ? latest[postId]! : null;
          latest[postId] = id;
          yield [id, sentence(rng, 3, 20), postCreated + rng.int(0, 30 * DAY), postId, rng.int(1, size.users), parentId];
        }
      },
    },
    {
      table: 'Follow',
      columns: [['followerId', 'int'], ['followingId', 'int'], ['createdAt', 'timestamp']],
      *rows() {
        const rng = rngFor(6);
        for (let follower = 1; follower <= size.users; follower++) {
          const following = new Set<number>();
          for (let i = 0; i < size.followsPerUser; i++) {
            const other = rng.int(1, size.users);
            if (other !== follower) following.add(other);
          }
          for (const other of [...following].sort((a, b) => a - b)) yield [follower, other, BASE + rng.int(0, 365 * DAY)];
        }
      },
    },
  ];
}

/** Tables in the order rows must be deleted (children first). */
export const deleteOrder = ['Follow', 'Comment', '_PostToTag', 'Post', 'Tag', 'Profile', 'User'];
