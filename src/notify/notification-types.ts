/**
 * Notification types: what the app declares in `functions/index.ts` (`notifications: { … }`),
 * normalised once at boot. A type names the channels it goes out on by default; users turn
 * channels off per type (NotificationPreference rows), except on critical types.
 */

/** Where a notification goes: the in-app inbox, the user's push devices, the user's e-mail. */
export type NotificationChannel = 'inApp' | 'push' | 'email';

export const notificationChannels: readonly NotificationChannel[] = ['inApp', 'push', 'email'];

export interface NotificationTypeDefinition {
  /** The channels this type is sent on when the user has no preference row. @default ["inApp", "push"] */
  channels?: NotificationChannel[];
  /** Critical types (security alerts, receipts) ignore the user's opt-outs. @default false */
  critical?: boolean;
  /** A short human description, shown to clients next to the preference switch. */
  description?: string;
}

export interface NotificationType {
  name: string;
  channels: readonly NotificationChannel[];
  critical: boolean;
  description: string | null;
}

/** What a notification type may be called (declared or passed to `ctx.notify`). */
export const notificationTypeName = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** A type the app did not declare: sent with the defaults, so a new `ctx.notify` call needs no declaration first. */
export const defaultNotificationType = (name: string): NotificationType => ({ name, channels: ['inApp', 'push'], critical: false, description: null });

export function resolveNotificationTypes(definitions: Record<string, NotificationTypeDefinition> = {}): Map<string, NotificationType> {
  const types = new Map<string, NotificationType>();
  for (const [name, definition] of Object.entries(definitions)) {
    if (!notificationTypeName.test(name)) throw new Error(`Notification type "${name}": names are 1-64 letters, digits, "_", "-" or ".", starting with a letter`);
    const channels = definition.channels ?? defaultNotificationType(name).channels;
    const unknown = channels.filter((channel) => !notificationChannels.includes(channel));
    if (unknown.length) throw new Error(`Notification type "${name}": unknown channel(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')}; expected ${notificationChannels.join(', ')}`);
    types.set(name, { name, channels: [...new Set(channels)], critical: definition.critical === true, description: definition.description ?? null });
  }
  return types;
}

/** A user's preference rows, as read from NotificationPreference. */
export interface PreferenceRow {
  userId: number | string;
  type: string;
  channel: string;
  enabled: boolean;
}

/**
 * The channels one user gets a notification of `type` on: the type's channels, minus those the
 * user switched off, plus those the user switched on (critical types ignore opt-outs), narrowed
 * to `requested` when the sender named channels.
 */
export function channelsFor(type: NotificationType, rows: readonly PreferenceRow[], requested?: readonly NotificationChannel[]): NotificationChannel[] {
  const chosen = new Set(type.channels);
  if (!type.critical) {
    for (const row of rows) {
      if (row.type !== type.name || !notificationChannels.includes(row.channel as NotificationChannel)) continue;
      if (row.enabled) chosen.add(row.channel as NotificationChannel);
      else chosen.delete(row.channel as NotificationChannel);
    }
  }
  return notificationChannels.filter((channel) => chosen.has(channel) && (!requested || requested.includes(channel)));
}
