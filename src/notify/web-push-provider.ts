import webpush from 'web-push';
import { classifyTransient, networkFailure, rebase } from './classify-http.ts';
import { defaultPushTimeoutMs, type PushMessage, type PushProvider, type PushProviderBaseOptions, type PushResult, type PushTarget } from './push-provider.ts';

export interface WebPushProviderOptions extends PushProviderBaseOptions {
  /** VAPID key pair (base64url, as `cairn push:vapid` prints them). */
  vapidPublicKey: string;
  vapidPrivateKey: string;
  /** VAPID `sub` claim: a `mailto:` or `https:` contact for the push service operator. */
  subject: string;
}

/** The JSON a service worker receives in `event.data.json()`. */
export const webPushPayload = (message: PushMessage): string =>
  JSON.stringify({ title: message.title, body: message.body, url: message.url, data: message.data ?? {} });

/**
 * Web Push (RFC 8030) with RFC 8291 aes128gcm payload encryption and RFC 8292 VAPID, using the
 * `web-push` package to build the request and our own fetch to send it (so the base-URL override,
 * the timeout and the answer classification are ours).
 */
export const createWebPushProvider = (options: WebPushProviderOptions): PushProvider => {
  const timeoutMs = options.timeoutMs ?? defaultPushTimeoutMs;
  // Validates the keys and the subject at construction: a bad configuration fails at boot.
  // (getVapidHeaders checks them without touching web-push's process-wide defaults.)
  webpush.getVapidHeaders('https://push.invalid', options.subject, options.vapidPublicKey, options.vapidPrivateKey, 'aes128gcm');
  const vapidDetails = { subject: options.subject, publicKey: options.vapidPublicKey, privateKey: options.vapidPrivateKey };

  const send = async (target: PushTarget, message: PushMessage): Promise<PushResult> => {
    if (target.platform !== 'webpush') return { status: 'rejected', reason: `the Web Push provider cannot send to a ${target.platform} device` };
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      details = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: target.keys }, webPushPayload(message), {
        vapidDetails,
        TTL: message.ttlSeconds ?? 86_400,
        urgency: message.priority === 'normal' ? 'normal' : 'high',
        ...(message.collapseKey ? { topic: topicOf(message.collapseKey) } : {}),
        contentEncoding: 'aes128gcm',
      });
    } catch (error) {
      // Malformed p256dh/auth keys or endpoint: this subscription can never be sent to.
      return { status: 'dead', reason: `invalid Web Push subscription: ${error instanceof Error ? error.message : String(error)}` };
    }
    let response: Response;
    try {
      response = await fetch(rebase(details.endpoint, options.baseUrl), {
        method: 'POST',
        headers: details.headers as Record<string, string>,
        body: details.body ? new Uint8Array(details.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return networkFailure('Web Push service', error, timeoutMs);
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) {
      const location = response.headers.get('location');
      return location ? { status: 'sent', id: location } : { status: 'sent' };
    }
    if (response.status === 404 || response.status === 410) {
      return { status: 'dead', reason: `Web Push service answered ${response.status}: the subscription expired or was unsubscribed` };
    }
    const transient = classifyTransient('Web Push service', response.status, response.headers.get('retry-after'), text.slice(0, 200));
    if (transient) return transient;
    if (response.status === 401 || response.status === 403) {
      return { status: 'credentials', reason: `Web Push service rejected the VAPID signature (${response.status}): check CAIRN_VAPID_* and that the subscription was made with this public key` };
    }
    return { status: 'rejected', reason: `Web Push service answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  };

  return { platform: 'webpush', send, close: async () => {} };
};

/** RFC 8030 Topic: at most 32 URL-safe base64 characters. */
const topicOf = (key: string): string => Buffer.from(key).toString('base64url').slice(0, 32);
