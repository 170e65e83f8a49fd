/**
 * The contract every push transport implements. A provider turns one message for one device into
 * one request to its push service and classifies the answer, so the delivery layer (jobs, device
 * clean-up) never reads a vendor's status codes itself.
 */

/** The push services Cairn speaks. */
export type PushPlatform = 'webpush' | 'fcm' | 'apns';

/** A browser's PushSubscription as `subscription.toJSON()` gives it. */
export interface WebPushTarget {
  platform: 'webpush';
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** An FCM registration token or an APNs device token. */
export interface TokenTarget {
  platform: 'fcm' | 'apns';
  token: string;
}

export type PushTarget = WebPushTarget | TokenTarget;

/** What is shown on the device. Everything is optional; `data` values are strings on every platform. */
export interface PushMessage {
  title?: string;
  body?: string;
  /** Opened when the notification is tapped (Web Push payload `url`, FCM `webpush.fcmOptions.link`, APNs custom key). */
  url?: string;
  data?: Record<string, string>;
  /** How long the push service keeps an undelivered message, in seconds (default 24 h). */
  ttlSeconds?: number;
  /** Messages with the same key replace each other on the device / in the service's queue. */
  collapseKey?: string;
  /** `high` wakes the device; `normal` may be batched (default high). */
  priority?: 'high' | 'normal';
}

/**
 * The classified answer of one send.
 * - `sent`: accepted by the push service.
 * - `dead`: the device token/subscription is gone for good (Web Push 404/410, FCM UNREGISTERED,
 *   APNs 410/BadDeviceToken): remove the device, do not retry.
 * - `retry`: transient (429, 5xx, timeout, network); `retryAfterSeconds` when the service said so.
 * - `credentials`: our own credentials were rejected (revoked FCM service account, bad APNs key):
 *   no device is at fault, retrying will not help until the operator fixes the configuration.
 * - `rejected`: the service refused this message (payload too large, bad topic…); do not retry.
 */
export type PushResult =
  | { status: 'sent'; id?: string }
  | { status: 'dead'; reason: string }
  | { status: 'retry'; reason: string; retryAfterSeconds?: number }
  | { status: 'credentials'; reason: string }
  | { status: 'rejected'; reason: string };

export interface PushProvider {
  readonly platform: PushPlatform;
  /** Never throws for a push service's answer or a network fault: those are classified in the result. */
  send(target: PushTarget, message: PushMessage): Promise<PushResult>;
  /** Closes pooled connections (APNs keeps one HTTP/2 session). */
  close(): Promise<void>;
}

/** Options every provider takes. */
export interface PushProviderBaseOptions {
  /**
   * Replaces the push service's origin (scheme, host, port), e.g. a sandbox, a proxy or a local test
   * server. For Web Push the subscription's own origin still goes into the VAPID `aud` claim.
   */
  baseUrl?: string;
  /** Abort one request after this many milliseconds and report it as retryable (default 10 000). */
  timeoutMs?: number;
}

export const defaultPushTimeoutMs = 10_000;
