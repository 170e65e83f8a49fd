import { importPKCS8, SignJWT } from 'jose';
import { classifyTransient, networkFailure } from './classify-http.ts';
import { defaultPushTimeoutMs, type PushMessage, type PushProvider, type PushProviderBaseOptions, type PushResult, type PushTarget } from './push-provider.ts';

/** The fields of a Google service-account JSON key the provider uses. */
export interface FcmServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  /** Default https://oauth2.googleapis.com/token. */
  token_uri?: string;
}

export interface FcmProviderOptions extends PushProviderBaseOptions {
  serviceAccount: FcmServiceAccount;
  /** Overrides the OAuth token endpoint (otherwise `token_uri` of the key). */
  tokenUrl?: string;
}

const scope = 'https://www.googleapis.com/auth/firebase.messaging';
const defaultBaseUrl = 'https://fcm.googleapis.com';
const defaultTokenUrl = 'https://oauth2.googleapis.com/token';

/** Thrown internally when the token endpoint refuses our service account. */
class CredentialError extends Error {}

/** Parses a service-account JSON key (e.g. from CAIRN_FCM_SERVICE_ACCOUNT) and names what is missing. */
export const parseFcmServiceAccount = (json: string): FcmServiceAccount => {
  let parsed: Partial<FcmServiceAccount>;
  try {
    parsed = JSON.parse(json) as Partial<FcmServiceAccount>;
  } catch {
    throw new Error('FCM service account is not valid JSON (expected the key file Firebase console downloads).');
  }
  for (const field of ['project_id', 'client_email', 'private_key'] as const) {
    if (typeof parsed[field] !== 'string' || parsed[field] === '') throw new Error(`FCM service account lacks "${field}".`);
  }
  return parsed as FcmServiceAccount;
};

/**
 * FCM HTTP v1: a service-account JWT (RS256) is exchanged for an OAuth access token, cached until
 * shortly before it expires, and sent as a bearer token to `projects/{id}/messages:send`.
 */
export const createFcmProvider = (options: FcmProviderOptions): PushProvider => {
  const account = options.serviceAccount;
  const timeoutMs = options.timeoutMs ?? defaultPushTimeoutMs;
  const tokenUrl = options.tokenUrl ?? account.token_uri ?? defaultTokenUrl;
  const sendUrl = `${(options.baseUrl ?? defaultBaseUrl).replace(/\/$/, '')}/v1/projects/${encodeURIComponent(account.project_id)}/messages:send`;
  const keyPromise = importPKCS8(account.private_key, 'RS256');
  // Surfaces a malformed key where it is awaited instead of as an unhandled rejection.
  keyPromise.catch(() => {});
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchAccessToken = async (): Promise<string> => {
    let key: Awaited<typeof keyPromise>;
    try {
      key = await keyPromise;
    } catch (error) {
      throw new CredentialError(`FCM service-account private_key is unreadable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(account.client_email)
      .setAudience(tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (response.status === 429 || response.status >= 500) throw Object.assign(new Error('token endpoint unavailable'), { status: response.status, retryAfter: response.headers.get('retry-after') });
    if (!response.ok || !body.access_token) {
      throw new CredentialError(
        `FCM token endpoint rejected service account ${account.client_email} (${response.status} ${body.error ?? 'no access_token'}${body.error_description ? `: ${body.error_description}` : ''}); the key may be revoked or disabled`,
      );
    }
    cached = { token: body.access_token, expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 3600) - 60) * 1000 };
    return body.access_token;
  };

  const accessToken = (): Promise<string> => {
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.token);
    // One refresh at a time, however many sends wait for it.
    pending ??= fetchAccessToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const attempt = async (token: string, body: string, retriedAuth: boolean): Promise<PushResult> => {
    let bearer: string;
    try {
      bearer = await accessToken();
    } catch (error) {
      if (error instanceof CredentialError) return { status: 'credentials', reason: error.message };
      const status = (error as { status?: number }).status;
      if (status) return classifyTransient('FCM token endpoint', status, (error as { retryAfter?: string }).retryAfter)!;
      return networkFailure('FCM token endpoint', error, timeoutMs);
    }
    let response: Response;
    try {
      response = await fetch(sendUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return networkFailure('FCM', error, timeoutMs);
    }
    const json = (await response.json().catch(() => ({}))) as FcmAnswer;
    if (response.ok) return json.name ? { status: 'sent', id: json.name } : { status: 'sent' };
    const code = fcmErrorCode(json);
    const detail = `${code ?? json.error?.status ?? response.status}${json.error?.message ? `: ${json.error.message}` : ''}`;
    if (code === 'UNREGISTERED' || code === 'SENDER_ID_MISMATCH') {
      return { status: 'dead', reason: `FCM: the registration token is no longer valid (${detail})` };
    }
    if (code === 'INVALID_ARGUMENT' && /registration token/i.test(json.error?.message ?? '')) {
      return { status: 'dead', reason: `FCM: malformed registration token (${detail})` };
    }
    if (response.status === 401 && !retriedAuth) {
      // The cached access token may have been revoked early: fetch a fresh one once.
      cached = undefined;
      return attempt(token, body, true);
    }
    if (response.status === 401 || response.status === 403 || code === 'THIRD_PARTY_AUTH_ERROR') {
      return { status: 'credentials', reason: `FCM refused our credentials (${detail}); check the service account's Firebase Messaging permission` };
    }
    return classifyTransient('FCM', response.status, response.headers.get('retry-after'), detail) ?? { status: 'rejected', reason: `FCM rejected the message (${detail})` };
  };

  const send = async (target: PushTarget, message: PushMessage): Promise<PushResult> => {
    if (target.platform !== 'fcm') return { status: 'rejected', reason: `the FCM provider cannot send to a ${target.platform} device` };
    return attempt(target.token, JSON.stringify({ message: fcmMessage(target.token, message) }), false);
  };

  return { platform: 'fcm', send, close: async () => {} };
};

interface FcmAnswer {
  name?: string;
  error?: { code?: number; status?: string; message?: string; details?: { '@type'?: string; errorCode?: string }[] };
}

/** FCM puts its own code (UNREGISTERED, QUOTA_EXCEEDED…) in a FcmError detail; the status is the generic one. */
const fcmErrorCode = (answer: FcmAnswer): string | undefined =>
  answer.error?.details?.find((detail) => detail['@type']?.endsWith('google.firebase.fcm.v1.FcmError'))?.errorCode ?? answer.error?.status;

/** The v1 `Message` resource for one token. */
export const fcmMessage = (token: string, message: PushMessage) => {
  const data = { ...(message.data ?? {}), ...(message.url ? { url: message.url } : {}) };
  const ttl = `${message.ttlSeconds ?? 86_400}s`;
  return {
    token,
    ...(message.title !== undefined || message.body !== undefined ? { notification: { title: message.title, body: message.body } } : {}),
    ...(Object.keys(data).length ? { data } : {}),
    android: { priority: message.priority === 'normal' ? 'NORMAL' : 'HIGH', ttl, ...(message.collapseKey ? { collapse_key: message.collapseKey } : {}) },
    ...(message.url ? { webpush: { fcm_options: { link: message.url } } } : {}),
  };
};
