import type { DbClient } from '../../db/index.ts';
import { badInput, notFound } from '../../errors.ts';

/** A Notification row as the inbox API reads it (`data` still JSON text). */
export interface NotificationRow {
  id: string;
  userId: string | number;
  type: string;
  title: string | null;
  body: string | null;
  data: string | null;
  url: string | null;
  seenAt: Date | null;
  readAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
}

export interface InboxFilter {
  read?: boolean | null;
  seen?: boolean | null;
  /** @default false: the inbox without the archive */
  archived?: boolean | null;
  type?: string | null;
}

export interface InboxPage {
  edges: { cursor: string; node: NotificationRow }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  where: Record<string, unknown>;
}

export interface NotificationCounts {
  unseen: number;
  unread: number;
  total: number;
}

/** Which notifications a mark/archive mutation names: some ids, or all of the viewer's. */
export interface Selection {
  ids?: readonly string[] | null;
  all?: boolean | null;
}

const columns = { id: true, userId: true, type: true, title: true, body: true, data: true, url: true, seenAt: true, readAt: true, archivedAt: true, createdAt: true } as const;
const maxIds = 1000;

// Newest first, the id breaking ties: a cursor is the (createdAt, id) of its row, so pages stay
// stable while new notifications arrive on top.
export const encodeCursor = (row: { createdAt: Date; id: string }) => Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const createdAt = new Date(at as string);
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
  } catch {
    // Falls through to the coded error.
  }
  throw badInput('notifications: `after` is not a cursor from this connection', { argument: 'after' });
}

export type NotificationInbox = ReturnType<typeof createNotificationInbox>;

/** The signed-in user's inbox: every query is scoped to `userId` here, never to what the client names. */
export function createNotificationInbox({ db, maxPageSize }: { db: DbClient; maxPageSize: number }) {
  const filterOf = (userId: string | number, filter: InboxFilter = {}) => ({
    userId,
    ...(filter.type != null ? { type: filter.type } : {}),
    ...(filter.read != null ? { readAt: filter.read ? { not: null } : null } : {}),
    ...(filter.seen != null ? { seenAt: filter.seen ? { not: null } : null } : {}),
    archivedAt: filter.archived ? { not: null } : null,
  });

  const counts = async (userId: string | number, client: DbClient = db): Promise<NotificationCounts> => {
    // One statement: COUNT(*) beside the counts of set seenAt and readAt.
    const counted: { _all: number; seenAt: number; readAt: number } = await client.notification.count({
      where: { userId, archivedAt: null },
      select: { _all: true, seenAt: true, readAt: true },
    });
    const total = counted._all;
    const unseen = total - counted.seenAt;
    const unread = total - counted.readAt;
    return { unseen, unread, total };
  };

  /**
   * Sets `column` to now on the selected rows that have none yet, in one transaction; a single id
   * that is not the viewer's (unknown or someone else's) is NOT_FOUND and nothing is written.
   */
  const mark = async (operation: string, userId: string | number, selection: Selection, columns: readonly string[]) => {
    const ids = selection.ids ? [...new Set(selection.ids.map(String))] : undefined;
    if ((ids === undefined) === !selection.all) throw badInput(`${operation}: pass either \`ids\` or \`all: true\``, { argument: ids ? 'all' : 'ids' });
    if (ids && ids.length > maxIds) throw badInput(`${operation}: at most ${maxIds} ids at once (got ${ids.length})`, { argument: 'ids', limit: 'ids', max: maxIds, value: ids.length });
    const now = new Date();
    return db.$transaction(async (tx: DbClient) => {
      const scope = ids ? { userId, id: { in: ids } } : { userId };
      if (ids) {
        const mine = await tx.notification.count({ where: scope });
        if (mine !== ids.length) throw notFound(`${operation}: ${ids.length - mine} of the ids are not notifications of yours; nothing was changed.`, { argument: 'ids' });
      }
      for (const column of columns) await tx.notification.updateMany({ where: { ...scope, [column]: null }, data: { [column]: now } });
      return counts(userId, tx);
    });
  };

  return {
    async page(userId: string | number, args: { where?: InboxFilter | null; first?: number | null; after?: string | null }): Promise<InboxPage> {
      const first = args.first ?? Math.min(20, maxPageSize);
      if (first < 0 || first > maxPageSize) throw badInput(`notifications: first must be between 0 and ${maxPageSize}, got ${first}`, { argument: 'first' });
      const where = filterOf(userId, args.where ?? undefined);
      const after = args.after != null ? decodeCursor(args.after) : undefined;
      const before = after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {};
      const rows: NotificationRow[] = await db.notification.findMany({
        where: { AND: [where, before] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
        select: columns,
      });
      const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(node), node }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: !!after, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        where,
      };
    },
    totalCount: (where: Record<string, unknown>): Promise<number> => db.notification.count({ where }),
    counts: (userId: string | number) => counts(userId),
    markSeen: (userId: string | number, selection: Selection) => mark('markNotificationsSeen', userId, selection, ['seenAt']),
    // Read implies seen: both stamps in the same transaction.
    markRead: (userId: string | number, selection: Selection) => mark('markNotificationsRead', userId, selection, ['seenAt', 'readAt']),
    archive: (userId: string | number, selection: Selection) => mark('archiveNotifications', userId, selection, ['archivedAt']),
  };
}
