import { connect, constants, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';
import { importPKCS8, SignJWT } from 'jose';
import { classifyTransient, networkFailure } from './classify-http.ts';
import { defaultPushTimeoutMs, type PushMessage, type PushProvider, type PushProviderBaseOptions, type PushResult, type PushTarget } from './push-provider.ts';

export interface ApnsProviderOptions extends PushProviderBaseOptions {
  /** The .p8 signing key (PKCS#8 PEM) from the Apple developer account. */
  key: string;
  /** The key's 10-character Key ID (JWT `kid`). */
  keyId: string;
  /** The 10-character Team ID (JWT `iss`). */
  teamId: string;
  /** The app's bundle id, sent as `apns-topic`. */
  topic: string;
  /** Use api.sandbox.push.apple.com (development builds) unless `baseUrl` is set. */
  sandbox?: boolean;
  /** Extra TLS options for the HTTP/2 session (e.g. `ca` for a proxy). */
  connectOptions?: SecureClientSessionOptions;
}

/** Apple refuses tokens refreshed more often than every 20 minutes and older than 60: renew at 50. */
const tokenLifetimeMs = 50 * 60_000;

/** APNs `reason` values that mean the device token will never work again. */
const deadReasons = new Set(['BadDeviceToken', 'Unregistered']);
/** Reasons that blame our key, team or topic, not the device (DeviceTokenNotForTopic too: a wrong topic would otherwise drop every device). */
const credentialReasons = new Set(['InvalidProviderToken', 'MissingProviderToken', 'BadCertificate', 'BadCertificateEnvironment', 'Forbidden', 'TopicDisallowed', 'BadTopic', 'DeviceTokenNotForTopic', 'MissingTopic']);

/**
 * APNs token-based authentication over one pooled HTTP/2 session: an ES256 JWT (`kid`, `iss`,
 * `iat`) in `authorization: bearer`, one POST to `/3/device/{token}` per message.
 */
export const createApnsProvider = (options: ApnsProviderOptions): PushProvider => {
  const timeoutMs = options.timeoutMs ?? defaultPushTimeoutMs;
  const origin = options.baseUrl ?? (options.sandbox ? 'https://api.sandbox.push.apple.com' : 'https://api.push.apple.com');
  const keyPromise = importPKCS8(options.key, 'ES256');
  keyPromise.catch(() => {});
  let jwt: { token: string; issuedAt: number } | undefined;
  let session: ClientHttp2Session | undefined;

  const providerToken = async (renew = false): Promise<string> => {
    if (!renew && jwt && Date.now() - jwt.issuedAt < tokenLifetimeMs) return jwt.token;
    const key = await keyPromise;
    const issuedAt = Date.now();
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: options.keyId })
      .setIssuer(options.teamId)
      .setIssuedAt(Math.floor(issuedAt / 1000))
      .sign(key);
    jwt = { token, issuedAt };
    return token;
  };

  const getSession = (): ClientHttp2Session => {
    if (session && !session.closed && !session.destroyed) return session;
    const next = connect(origin, options.connectOptions);
    // A session error fails the streams on it (classified there); forget the session so the next send reconnects.
    next.on('error', () => {});
    const forget = () => {
      if (session === next) session = undefined;
    };
    next.on('close', forget);
    next.on('goaway', forget);
    next.unref();
    session = next;
    return next;
  };

  const post = (deviceToken: string, bearer: string, message: PushMessage, payload: string) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = {
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(deviceToken)}`,
        authorization: `bearer ${bearer}`,
        'apns-topic': options.topic,
        'apns-push-type': 'alert',
        'apns-priority': message.priority === 'normal' ? '5' : '10',
        'apns-expiration': String(Math.floor(Date.now() / 1000) + (message.ttlSeconds ?? 86_400)),
        'content-type': 'application/json',
      };
      if (message.collapseKey) headers['apns-collapse-id'] = message.collapseKey.slice(0, 64);
      let stream;
      try {
        stream = getSession().request(headers);
      } catch (error) {
        reject(error);
        return;
      }
      const timer = setTimeout(() => {
        stream.close(constants.NGHTTP2_CANCEL);
        reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
      }, timeoutMs);
      let status = 0;
      let responseHeaders: Record<string, string | string[] | undefined> = {};
      const chunks: Buffer[] = [];
      stream.on('response', (received) => {
        status = Number(received[constants.HTTP2_HEADER_STATUS]);
        responseHeaders = received;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        clearTimeout(timer);
        resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      stream.end(payload);
    });

  const send = async (target: PushTarget, message: PushMessage): Promise<PushResult> => {
    if (target.platform !== 'apns') return { status: 'rejected', reason: `the APNs provider cannot send to a ${target.platform} device` };
    if (!/^[0-9a-fA-F]{16,200}$/.test(target.token)) return { status: 'dead', reason: 'APNs device token is not a hex string' };
    const payload = JSON.stringify(apnsPayload(message));
    for (let attempt = 0; ; attempt++) {
      let bearer: string;
      try {
        bearer = await providerToken(attempt > 0);
      } catch (error) {
        return { status: 'credentials', reason: `APNs signing key is unreadable: ${error instanceof Error ? error.message : String(error)}` };
      }
      let answer: Awaited<ReturnType<typeof post>>;
      try {
        answer = await post(target.token, bearer, message, payload);
      } catch (error) {
        return networkFailure('APNs', error, timeoutMs);
      }
      if (answer.status === 200) {
        const id = answer.headers['apns-id'];
        return typeof id === 'string' ? { status: 'sent', id } : { status: 'sent' };
      }
      const reason = (JSON.parse(answer.body || '{}') as { reason?: string }).reason ?? '';
      // Our JWT aged out between checks (clock skew, long idle): sign a new one once.
      if (answer.status === 403 && reason === 'ExpiredProviderToken' && attempt === 0) continue;
      if (answer.status === 410 || deadReasons.has(reason)) return { status: 'dead', reason: `APNs answered ${answer.status} ${reason || 'Unregistered'}` };
      const retryAfter = answer.headers['retry-after'];
      const transient = classifyTransient('APNs', answer.status, typeof retryAfter === 'string' ? retryAfter : undefined, reason);
      if (transient) return transient;
      if (answer.status === 403 || credentialReasons.has(reason)) {
        return { status: 'credentials', reason: `APNs refused our credentials (${answer.status} ${reason}); check CAIRN_APNS_KEY_ID, CAIRN_APNS_TEAM_ID, CAIRN_APNS_TOPIC and the sandbox setting` };
      }
      return { status: 'rejected', reason: `APNs rejected the message (${answer.status} ${reason})` };
    }
  };

  const close = async () => {
    const current = session;
    session = undefined;
    if (current && !current.closed) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  return { platform: 'apns', send, close };
};

/** The APNs JSON payload: `aps.alert` plus the message's data and url as custom keys. */
export const apnsPayload = (message: PushMessage) => ({
  // Custom keys first so a data key named "aps" cannot replace the alert.
  ...(message.data ?? {}),
  ...(message.url ? { url: message.url } : {}),
  aps: { alert: { title: message.title, body: message.body }, sound: 'default', ...(message.collapseKey ? { 'thread-id': message.collapseKey } : {}) },
});
