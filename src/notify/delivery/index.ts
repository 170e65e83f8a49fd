/**
 * Sending notifications: `ctx.notify` validates and enqueues; Cairn's own jobs resolve the
 * audience page by page (the schema's read rules), apply preferences, write inbox rows and push
 * to every device, idempotently per (user, key).
 */
export { createNotifications, notificationJobs, usesNotifications, type Notifications, type NotificationsOptions } from './create-notifications.ts';
export { derivedId, resolveNotifyInput, type Audience, type FanOutPayload, type Notify, type NotifyInput, type NotifyReceipt } from './notify-input.ts';
export { notificationIdFor, type EmailJobPayload, type PageResult, type PushJobPayload } from './deliver-page.ts';
export { credentialVariables, type PushOutcome } from './push-job.ts';
export { createAudienceResolver, type AudiencePage, type AudienceResolver } from './resolve-audience.ts';
