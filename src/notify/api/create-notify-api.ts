import type { Datamodel, DbClient, Provider } from '../../db/index.ts';
import type { EventBus } from '../../events/index.ts';
import type { Context, SchemaExtension } from '../../schema/index.ts';
import type { NotificationType } from '../notification-types.ts';
import type { PushPlatform } from '../push-provider.ts';
import { createNotificationFeed } from './notification-feed.ts';
import { createNotificationInbox } from './notification-inbox.ts';
import { createNotificationPreferences } from './notification-preferences.ts';
import { createPushDevices } from './push-devices.ts';
import { registerDeviceFields, registerInboxFields, registerPreferenceFields } from './register-notify-fields.ts';
import { resolveNotifyModels, type NotifyModels } from './resolve-notify-models.ts';

export interface NotifyApiOptions {
  /** The full datamodel (hidden models included). */
  datamodel: Datamodel;
  /** Whether the app has auth (notifications belong to signed-in users). */
  auth: boolean;
  /** The trusted client (rules off, changes captured, so inserts and marks reach the event bus). */
  db: DbClient;
  provider: Provider;
  bus: EventBus;
  /** The app's declared notification types (`functions.notifications`, resolved). */
  types: ReadonlyMap<string, NotificationType>;
  /** Push services this server has credentials for (`PushSender.platforms`); registering for another one is refused. */
  platforms: readonly PushPlatform[];
  production: boolean;
  /** CAIRN_MAX_PAGE_SIZE. */
  maxPageSize: number;
  /** CAIRN_MAX_PUSH_DEVICES. */
  maxDevicesPerUser: number;
  sessionOf(ctx: Context): string | undefined;
  gap(ctx: Context): void;
  logError?: (error: unknown) => void;
}

/** The client-facing notification API, as the composition root uses it. */
export interface NotifyApi {
  models: NotifyModels;
  extendSchema: SchemaExtension;
  /** Open `notificationAdded` streams on this instance. */
  stats(): { subscribers: number };
  close(): Promise<void>;
}

/**
 * Devices, inbox and preferences, each for the model the app declares (PushDevice, Notification,
 * NotificationPreference); null when it declares none of them (its API is left as it was).
 */
export function createNotifyApi(options: NotifyApiOptions): NotifyApi | null {
  const models = resolveNotifyModels(options.datamodel, { auth: options.auth });
  if (!models) return null;
  const { db } = options;
  const feed = models.inbox ? createNotificationFeed({ bus: options.bus, logError: options.logError }) : null;
  const devices = models.devices && createPushDevices({ db, provider: options.provider, platforms: options.platforms, production: options.production, maxPerUser: options.maxDevicesPerUser });
  const inbox = models.inbox && createNotificationInbox({ db, maxPageSize: options.maxPageSize });
  const preferences = models.preferences && createNotificationPreferences({ db, types: options.types });
  return {
    models,
    extendSchema: (builder) => {
      if (devices) registerDeviceFields(builder, devices, options.sessionOf);
      if (inbox && feed) registerInboxFields(builder, inbox, feed, options.gap);
      if (preferences) registerPreferenceFields(builder, preferences);
    },
    stats: () => ({ subscribers: feed?.subscribers ?? 0 }),
    close: async () => {
      await feed?.close();
    },
  };
}
