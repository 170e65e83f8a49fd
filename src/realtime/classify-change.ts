import type { Filter, Row } from '../access/index.ts';
import type { Model } from '../db/index.ts';
import type { ChangeEvent } from '../events/index.ts';
import type { ProbeCache, RowMatcher } from './match-row.ts';

/** What a change means to one subscriber (`postChanged { kind }`). */
export type ChangeKindSeen = 'CREATED' | 'UPDATED' | 'DELETED' | 'ENTERED' | 'LEFT';

/**
 * The change as one subscriber sees it, from the row images: `filter` is its `where` (guarded)
 * and its read rule. A row that stops matching is LEFT, one that starts is ENTERED; a change to a
 * row it never could see is nothing (null).
 */
export async function classifyChange(matcher: RowMatcher, model: Model, filter: Filter, event: ChangeEvent, probes: ProbeCache): Promise<ChangeKindSeen | null> {
  const sees = (row: Row | null) => (row ? matcher.matches(model, filter, row, probes) : Promise.resolve(false));
  switch (event.kind) {
    case 'created':
      return (await sees(event.after)) ? 'CREATED' : null;
    case 'deleted':
      return (await sees(event.before)) ? 'DELETED' : null;
    case 'updated': {
      const [before, after] = await Promise.all([sees(event.before), sees(event.after)]);
      return before && after ? 'UPDATED' : after ? 'ENTERED' : before ? 'LEFT' : null;
    }
  }
}
