import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validatePushDevice, type PushDeviceInput } from './validate-push-device.ts';

const keys = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
};
const all = ['webpush', 'fcm', 'apns'] as const;
const fieldOf = (input: PushDeviceInput, production: boolean) => {
  try {
    validatePushDevice(input, { platforms: all, production });
    return 'accepted';
  } catch (error) {
    return (error as { extensions: { field: string } }).extensions.field;
  }
};

describe('validatePushDevice', () => {
  it('in production, refuses endpoints into the server\'s own network and http altogether', () => {
    for (const endpoint of ['http://127.0.0.1:9/p', 'https://127.0.0.1/p', 'https://localhost/p', 'https://[::1]/p', 'https://10.1.2.3/p', 'https://192.168.0.5/p', 'https://172.20.0.1/p', 'https://169.254.169.254/latest', 'https://[fd00::1]/p']) {
      expect(fieldOf({ platform: 'webpush', endpoint, keys: keys() }, true), endpoint).toBe('endpoint');
    }
    expect(fieldOf({ platform: 'webpush', endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: keys() }, true)).toBe('accepted');
    // Outside production, loopback is where local push-service fakes listen.
    expect(fieldOf({ platform: 'webpush', endpoint: 'http://localhost:8080/p', keys: keys() }, false)).toBe('accepted');
    expect(fieldOf({ platform: 'webpush', endpoint: 'http://10.1.2.3/p', keys: keys() }, false)).toBe('endpoint');
  });

  it('normalises what it stores: APNs tokens lower-cased, padded base64url keys accepted, blank names dropped', () => {
    const k = keys();
    const padded = { p256dh: `${k.p256dh}=`, auth: `${k.auth}==` };
    expect(validatePushDevice({ platform: 'webpush', endpoint: 'https://push.example.com/x', keys: padded, name: '   ' }, { platforms: all, production: true })).toMatchObject({ name: null });
    expect(validatePushDevice({ platform: 'apns', token: 'AB'.repeat(32) }, { platforms: all, production: true }).address).toBe('ab'.repeat(32));
    expect(validatePushDevice({ platform: 'fcm', token: `dGVzdA:APA91b${'x'.repeat(140)}` }, { platforms: all, production: true }).address).toMatch(/^dGVzdA:APA91b/);
    expect(fieldOf({ platform: 'fcm', token: 'has spaces in it, which FCM never sends' }, true)).toBe('token');
    expect(fieldOf({ platform: 'fcm', token: 'x'.repeat(4097) }, true)).toBe('token');
  });
});
