import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPushSender, generateVapidKeys, loadPushConfig } from '../../src/notify/index.ts';
import { startLocalServer } from './local-http-server.ts';

describe('push configuration from the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-push-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const vapid = generateVapidKeys();
  const apnsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('configures nothing when nothing is set', () => {
    expect(loadPushConfig({})).toEqual({});
  });

  it('names the missing variables of a half-configured service', () => {
    expect(() => loadPushConfig({ CAIRN_VAPID_PUBLIC_KEY: vapid.publicKey })).toThrow(/Web Push is partly configured: set CAIRN_VAPID_PRIVATE_KEY, CAIRN_VAPID_SUBJECT/);
    expect(() => loadPushConfig({ CAIRN_APNS_KEY: apnsKey, CAIRN_APNS_TOPIC: 'com.x' })).toThrow(/APNs is partly configured: set CAIRN_APNS_KEY_ID, CAIRN_APNS_TEAM_ID/);
    expect(() => loadPushConfig({ CAIRN_FCM_SERVICE_ACCOUNT: '{"project_id":"p"}' })).toThrow(/lacks "client_email"/);
    expect(() => loadPushConfig({ CAIRN_APNS_KEY_FILE: join(dir, 'missing.p8') })).toThrow(/CAIRN_APNS_KEY_FILE=.*cannot be read/);
    expect(() => loadPushConfig({ CAIRN_PUSH_TIMEOUT_MS: 'soon' })).toThrow(/CAIRN_PUSH_TIMEOUT_MS/);
  });

  it('reads keys from *_FILE variables and base-URL overrides', () => {
    writeFileSync(join(dir, 'key.p8'), apnsKey);
    const config = loadPushConfig({
      CAIRN_APNS_KEY_FILE: join(dir, 'key.p8'),
      CAIRN_APNS_KEY_ID: 'KEYID12345',
      CAIRN_APNS_TEAM_ID: 'TEAMID1234',
      CAIRN_APNS_TOPIC: 'com.example.blog',
      CAIRN_APNS_SANDBOX: 'true',
      CAIRN_APNS_BASE_URL: 'http://127.0.0.1:9',
      CAIRN_PUSH_TIMEOUT_MS: '2500',
    });
    expect(config.apns).toEqual({ key: apnsKey, keyId: 'KEYID12345', teamId: 'TEAMID1234', topic: 'com.example.blog', sandbox: true, baseUrl: 'http://127.0.0.1:9', timeoutMs: 2500 });
  });

  it('routes each target to its provider and rejects unconfigured platforms', async () => {
    const server = await startLocalServer((_request, response) => {
      response.statusCode = 201;
      response.end();
    });
    const sender = createPushSender(
      loadPushConfig({ CAIRN_VAPID_PUBLIC_KEY: vapid.publicKey, CAIRN_VAPID_PRIVATE_KEY: vapid.privateKey, CAIRN_VAPID_SUBJECT: 'mailto:a@b.c', CAIRN_WEBPUSH_BASE_URL: server.url }),
    );
    try {
      expect(sender.platforms).toEqual(['webpush']);
      const keys = { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' };
      expect((await sender.send({ platform: 'webpush', endpoint: 'https://push.example/sub/1', keys }, { title: 'x' })).status).toBe('sent');
      expect(server.requests).toHaveLength(1);
      expect(await sender.send({ platform: 'fcm', token: 't' }, { title: 'x' })).toEqual({ status: 'rejected', reason: 'fcm push is not configured on this server' });
    } finally {
      await sender.close();
      await server.close();
    }
  });
});
