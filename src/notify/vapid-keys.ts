import webpush from 'web-push';

/** Environment variables that hold the Web Push VAPID identity. */
export const vapidEnv = { publicKey: 'CAIRN_VAPID_PUBLIC_KEY', privateKey: 'CAIRN_VAPID_PRIVATE_KEY', subject: 'CAIRN_VAPID_SUBJECT' } as const;

/** A new P-256 VAPID key pair, base64url (the public key is what `pushManager.subscribe` takes as `applicationServerKey`). */
export const generateVapidKeys = (): { publicKey: string; privateKey: string } => webpush.generateVAPIDKeys();
