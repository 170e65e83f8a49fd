import { requireViewer } from '../../auth/index.ts';
import { forbidden } from '../../errors.ts';
import type { Builder, Context } from '../../schema/index.ts';
import type { NotificationChannel } from '../notification-types.ts';
import type { NotificationFeed } from './notification-feed.ts';
import type { InboxFilter, NotificationInbox, Selection } from './notification-inbox.ts';
import type { NotificationPreferences } from './notification-preferences.ts';
import type { PushDevices } from './push-devices.ts';
import { registerDeviceTypes, registerInboxTypes, registerPreferenceTypes } from './register-notify-types.ts';
import type { PushDeviceInput } from './validate-push-device.ts';

/** registerPushDevice, unregisterPushDevice, myPushDevices. `sessionOf` is auth's `currentSessionId`. */
export function registerDeviceFields(builder: Builder, devices: PushDevices, sessionOf: (ctx: Context) => string | undefined): void {
  const types = registerDeviceTypes(builder);
  builder.queryFields((t: any) => ({
    myPushDevices: t.field({
      type: [types.device],
      description: "The signed-in user's push devices, newest first.",
      resolve: (_root: unknown, _args: unknown, ctx: Context) => devices.list(requireViewer(ctx, 'myPushDevices').id),
    }),
  }));
  builder.mutationFields((t: any) => ({
    registerPushDevice: t.field({
      type: types.device,
      description: 'Registers this browser or phone for pushes, bound to the current session (signing out removes it). Registering an address again moves it to the current user and session.',
      args: { input: t.arg({ type: types.deviceInput, required: true }) },
      resolve: (_root: unknown, args: { input: PushDeviceInput }, ctx: Context) => {
        const viewer = requireViewer(ctx, 'registerPushDevice');
        const sessionId = sessionOf(ctx);
        if (!sessionId) throw forbidden('registerPushDevice needs a session (API tokens cannot register devices)');
        return devices.register(viewer.id, sessionId, args.input);
      },
    }),
    unregisterPushDevice: t.boolean({
      description: 'Removes one of your push devices (an id from `myPushDevices`); NOT_FOUND otherwise.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root: unknown, args: { id: string }, ctx: Context) => devices.unregister(requireViewer(ctx, 'unregisterPushDevice').id, String(args.id)),
    }),
  }));
}

/** notifications, notificationCounts, the marks, notificationAdded. `gap` is realtime's missed-events signal. */
export function registerInboxFields(builder: Builder, inbox: NotificationInbox, feed: NotificationFeed, gap: (ctx: Context) => void): void {
  const types = registerInboxTypes(builder);
  const mark = (t: any, operation: string, run: (userId: string | number, selection: Selection) => Promise<unknown>, description: string) =>
    t.field({
      type: types.counts,
      description: `${description} Returns the counts afterwards.`,
      args: {
        ids: t.arg.idList({ description: 'Notifications of yours (at most 1000); one that is not (or does not exist) fails the whole call with NOT_FOUND.' }),
        all: t.arg.boolean({ description: 'true: every notification of yours instead of `ids`.' }),
      },
      resolve: (_root: unknown, args: Selection, ctx: Context) => run(requireViewer(ctx, operation).id, args),
    });

  builder.queryFields((t: any) => ({
    notifications: t.field({
      type: types.connection,
      description: "The signed-in user's inbox, newest first (pages of at most CAIRN_MAX_PAGE_SIZE).",
      args: { where: t.arg({ type: types.filter }), first: t.arg.int(), after: t.arg.string() },
      resolve: async (_root: unknown, args: { where?: InboxFilter; first?: number; after?: string }, ctx: Context) => {
        const page = await inbox.page(requireViewer(ctx, 'notifications').id, args);
        // Counted only when asked for.
        return { ...page, totalCount: () => inbox.totalCount(page.where) };
      },
    }),
    notificationCounts: t.field({
      type: types.counts,
      description: 'Unseen, unread and all notifications of the signed-in user, archived ones left out.',
      resolve: (_root: unknown, _args: unknown, ctx: Context) => inbox.counts(requireViewer(ctx, 'notificationCounts').id),
    }),
  }));
  builder.mutationFields((t: any) => ({
    markNotificationsSeen: mark(t, 'markNotificationsSeen', inbox.markSeen, 'Marks notifications as seen (shown to the user).'),
    markNotificationsRead: mark(t, 'markNotificationsRead', inbox.markRead, 'Marks notifications as read, and so as seen.'),
    archiveNotifications: mark(t, 'archiveNotifications', inbox.archive, 'Moves notifications out of the inbox into the archive.'),
  }));
  builder.subscriptionFields((t: any) => ({
    notificationAdded: t.field({
      type: types.notification,
      description: "Each new notification of the signed-in user's inbox, as it arrives.",
      subscribe: (_root: unknown, _args: unknown, ctx: Context) => feed.subscribe(requireViewer(ctx, 'notificationAdded').id, () => gap(ctx)),
      resolve: (row: unknown) => row,
    }),
  }));
}

/** notificationPreferences, setNotificationPreference. */
export function registerPreferenceFields(builder: Builder, preferences: NotificationPreferences): void {
  const types = registerPreferenceTypes(builder);
  builder.queryFields((t: any) => ({
    notificationPreferences: t.field({
      type: [types.preference],
      description: "Every notification type the app declares, on each of its channels, with the signed-in user's effective choice.",
      resolve: (_root: unknown, _args: unknown, ctx: Context) => preferences.list(requireViewer(ctx, 'notificationPreferences').id),
    }),
  }));
  builder.mutationFields((t: any) => ({
    setNotificationPreference: t.field({
      type: types.preference,
      description: 'Turns one notification type on or off on one channel for the signed-in user. Critical types cannot be turned off.',
      args: { type: t.arg.string({ required: true }), channel: t.arg({ type: types.channel, required: true }), enabled: t.arg.boolean({ required: true }) },
      resolve: (_root: unknown, args: { type: string; channel: NotificationChannel; enabled: boolean }, ctx: Context) =>
        preferences.set(requireViewer(ctx, 'setNotificationPreference').id, args),
    }),
  }));
}
