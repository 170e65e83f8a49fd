import type { BenchSize } from '../lib/args.ts';

export interface DatasetSize {
  users: number;
  posts: number;
  comments: number;
  tags: number;
  /** Follows per user (deduplicated, never oneself). */
  followsPerUser: number;
}

/** The sizes: small 1k / 10k / 50k, large 10k / 200k / 2M (PostgreSQL only). */
export const datasetSizes: Record<BenchSize, DatasetSize> = {
  small: { users: 1_000, posts: 10_000, comments: 50_000, tags: 50, followsPerUser: 5 },
  large: { users: 10_000, posts: 200_000, comments: 2_000_000, tags: 200, followsPerUser: 5 },
};
