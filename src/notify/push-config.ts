import { readFileSync } from 'node:fs';
import { createApnsProvider, type ApnsProviderOptions } from './apns-provider.ts';
import { createFcmProvider, parseFcmServiceAccount, type FcmProviderOptions } from './fcm-provider.ts';
import type { PushMessage, PushPlatform, PushProvider, PushResult, PushTarget } from './push-provider.ts';
import { vapidEnv } from './vapid-keys.ts';
import { createWebPushProvider, type WebPushProviderOptions } from './web-push-provider.ts';

/** Which push services are configured; a service left out is not offered. */
export interface PushConfig {
  webpush?: WebPushProviderOptions;
  fcm?: FcmProviderOptions;
  apns?: ApnsProviderOptions;
}

const fileOrValue = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${name}_FILE=${file} cannot be read: ${(error as Error).message}`);
    }
  }
  return env[name] || undefined;
};

/** Demands all or none of a group of variables, naming the missing ones. */
const group = (service: string, values: Record<string, string | undefined>): boolean => {
  const missing = Object.entries(values).filter(([, value]) => !value).map(([name]) => name);
  if (missing.length === Object.keys(values).length) return false;
  if (missing.length) throw new Error(`${service} is partly configured: set ${missing.join(', ')} too (or unset the others).`);
  return true;
};

/**
 * Reads push configuration from the environment (README "Push notifications"): each service is on
 * when its variables are set, and a half-set service is a boot error naming what is missing.
 */
export const loadPushConfig = (env: NodeJS.ProcessEnv): PushConfig => {
  const timeoutMs = env.CAIRN_PUSH_TIMEOUT_MS ? Number(env.CAIRN_PUSH_TIMEOUT_MS) : undefined;
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new Error(`CAIRN_PUSH_TIMEOUT_MS must be a positive integer (got "${env.CAIRN_PUSH_TIMEOUT_MS}").`);
  const common = (baseUrl: string | undefined) => ({ ...(timeoutMs ? { timeoutMs } : {}), ...(baseUrl ? { baseUrl } : {}) });
  const config: PushConfig = {};

  const vapid = { [vapidEnv.publicKey]: env[vapidEnv.publicKey], [vapidEnv.privateKey]: env[vapidEnv.privateKey], [vapidEnv.subject]: env[vapidEnv.subject] };
  if (group('Web Push', vapid)) {
    config.webpush = { vapidPublicKey: vapid[vapidEnv.publicKey]!, vapidPrivateKey: vapid[vapidEnv.privateKey]!, subject: vapid[vapidEnv.subject]!, ...common(env.CAIRN_WEBPUSH_BASE_URL) };
  }

  const account = fileOrValue(env, 'CAIRN_FCM_SERVICE_ACCOUNT');
  if (account) {
    config.fcm = { serviceAccount: parseFcmServiceAccount(account), ...common(env.CAIRN_FCM_BASE_URL), ...(env.CAIRN_FCM_TOKEN_URL ? { tokenUrl: env.CAIRN_FCM_TOKEN_URL } : {}) };
  }

  const apns = { CAIRN_APNS_KEY: fileOrValue(env, 'CAIRN_APNS_KEY'), CAIRN_APNS_KEY_ID: env.CAIRN_APNS_KEY_ID, CAIRN_APNS_TEAM_ID: env.CAIRN_APNS_TEAM_ID, CAIRN_APNS_TOPIC: env.CAIRN_APNS_TOPIC };
  if (group('APNs', apns)) {
    config.apns = {
      key: apns.CAIRN_APNS_KEY!,
      keyId: apns.CAIRN_APNS_KEY_ID!,
      teamId: apns.CAIRN_APNS_TEAM_ID!,
      topic: apns.CAIRN_APNS_TOPIC!,
      sandbox: env.CAIRN_APNS_SANDBOX === 'true' || env.CAIRN_APNS_SANDBOX === '1',
      ...common(env.CAIRN_APNS_BASE_URL),
    };
  }
  return config;
};

/** The configured providers behind one `send` that picks by the target's platform. */
export interface PushSender {
  readonly platforms: PushPlatform[];
  send(target: PushTarget, message: PushMessage): Promise<PushResult>;
  close(): Promise<void>;
}

export const createPushSender = (config: PushConfig): PushSender => {
  const providers = new Map<PushPlatform, PushProvider>();
  if (config.webpush) providers.set('webpush', createWebPushProvider(config.webpush));
  if (config.fcm) providers.set('fcm', createFcmProvider(config.fcm));
  if (config.apns) providers.set('apns', createApnsProvider(config.apns));
  return {
    platforms: [...providers.keys()],
    send: async (target, message) => {
      const provider = providers.get(target.platform);
      if (!provider) return { status: 'rejected', reason: `${target.platform} push is not configured on this server` };
      return provider.send(target, message);
    },
    close: async () => {
      await Promise.all([...providers.values()].map((provider) => provider.close()));
    },
  };
};
