import type { DbClient } from '../../db/index.ts';
import { badInput } from '../../errors.ts';
import { channelsFor, type NotificationChannel, type NotificationType } from '../notification-types.ts';

/** One switch of the preferences screen: a declared type on one of its channels. */
export interface PreferenceView {
  type: string;
  channel: NotificationChannel;
  enabled: boolean;
  critical: boolean;
  description: string | null;
}

export type NotificationPreferences = ReturnType<typeof createNotificationPreferences>;

/**
 * Preferences per declared type and channel, with the same semantics the sender applies
 * (`channelsFor`): no row means the type's default, critical types ignore opt-outs.
 */
export function createNotificationPreferences({ db, types }: { db: DbClient; types: ReadonlyMap<string, NotificationType> }) {
  const rowsOf = (userId: string | number) => db.notificationPreference.findMany({ where: { userId }, select: { userId: true, type: true, channel: true, enabled: true } });
  const viewsOf = (type: NotificationType, rows: Awaited<ReturnType<typeof rowsOf>>): PreferenceView[] => {
    const effective = new Set(channelsFor(type, rows));
    return type.channels.map((channel) => ({ type: type.name, channel, enabled: effective.has(channel), critical: type.critical, description: type.description }));
  };

  return {
    async list(userId: string | number): Promise<PreferenceView[]> {
      const rows = await rowsOf(userId);
      return [...types.values()].flatMap((type) => viewsOf(type, rows));
    },

    /** Upserts one choice. BAD_USER_INPUT for an undeclared type, a channel the type is not sent on, or turning off a critical type. */
    async set(userId: string | number, args: { type: string; channel: NotificationChannel; enabled: boolean }): Promise<PreferenceView> {
      const type = types.get(args.type);
      if (!type) throw badInput(`setNotificationPreference: no notification type "${args.type.slice(0, 64)}" (declared: ${[...types.keys()].join(', ') || 'none'})`, { argument: 'type' });
      if (!type.channels.includes(args.channel)) {
        throw badInput(`setNotificationPreference: "${type.name}" is not sent on ${args.channel} (its channels: ${type.channels.join(', ')})`, { argument: 'channel' });
      }
      if (type.critical && !args.enabled) {
        throw badInput(`setNotificationPreference: "${type.name}" is critical and cannot be turned off`, { argument: 'enabled', critical: true });
      }
      const key = { userId, type: type.name, channel: args.channel };
      // A critical type is always on: nothing to remember.
      if (!type.critical) {
        await db.notificationPreference.upsert({ where: { userId_type_channel: key }, create: { ...key, enabled: args.enabled }, update: { enabled: args.enabled } });
      }
      return viewsOf(type, await rowsOf(userId)).find((view) => view.channel === args.channel)!;
    },
  };
}
