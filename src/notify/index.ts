/** Push notifications: one provider per push service, each speaking its protocol directly. */
export type { PushMessage, PushPlatform, PushProvider, PushProviderBaseOptions, PushResult, PushTarget, TokenTarget, WebPushTarget } from './push-provider.ts';
export { parseRetryAfter } from './classify-http.ts';
export { createWebPushProvider, webPushPayload, type WebPushProviderOptions } from './web-push-provider.ts';
export { createFcmProvider, fcmMessage, parseFcmServiceAccount, type FcmProviderOptions, type FcmServiceAccount } from './fcm-provider.ts';
export { apnsPayload, createApnsProvider, type ApnsProviderOptions } from './apns-provider.ts';
export { generateVapidKeys, vapidEnv } from './vapid-keys.ts';
export { createPushSender, loadPushConfig, type PushConfig, type PushSender } from './push-config.ts';
export { channelsFor, defaultNotificationType, notificationChannels, resolveNotificationTypes, type NotificationChannel, type NotificationType, type NotificationTypeDefinition, type PreferenceRow } from './notification-types.ts';
export * from './delivery/index.ts';
export { createNotifyApi, type NotifyApi, type NotifyApiOptions } from './api/create-notify-api.ts';
export { notifyModelNames, resolveNotifyModels, type NotifyModels } from './api/resolve-notify-models.ts';
export { validatePushDevice, type DeviceRules, type PushDeviceInput, type ValidDevice } from './api/validate-push-device.ts';
