import { createECDH, randomBytes } from 'node:crypto';
import { decrypt } from 'http_ece';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebPushProvider, type PushProvider, type WebPushTarget } from '../../src/notify/index.ts';
import { startLocalServer } from './local-http-server.ts';

/**
 * The test is the push service: it checks the VAPID JWT (RFC 8292) against the key in the
 * Authorization header and decrypts the aes128gcm body (RFC 8291) with the subscription's private
 * key, as a browser's push service and the browser would.
 */
describe('Web Push provider against a loopback push service', () => {
  const vapid = webpush.generateVAPIDKeys();
  const receiver = createECDH('prime256v1');
  receiver.generateKeys();
  const authSecret = randomBytes(16).toString('base64url');
  // The subscription names a real push service; the base-URL override sends it to loopback, so
  // the VAPID audience must still be the subscription's own origin.
  const subscription = (path = 'abc123'): WebPushTarget => ({
    platform: 'webpush',
    endpoint: `https://fcm.googleapis.com/fcm/send/${path}`,
    keys: { p256dh: receiver.getPublicKey().toString('base64url'), auth: authSecret },
  });
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  let provider: PushProvider;

  beforeAll(async () => {
    server = await startLocalServer((_request, response) => {
      response.statusCode = 201;
      response.setHeader('location', 'https://fcm.googleapis.com/msg/1');
      response.end();
    });
    provider = createWebPushProvider({
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      subject: 'mailto:ops@example.com',
      baseUrl: server.url,
      timeoutMs: 500,
    });
  });
  afterAll(async () => {
    await provider.close();
    await server.close();
  });

  it('sends a VAPID-signed, aes128gcm-encrypted payload the subscriber can decrypt', async () => {
    const result = await provider.send(subscription(), { title: 'Hi', body: 'New comment', url: '/posts/1', data: { postId: '1' }, ttlSeconds: 60 });
    expect(result).toEqual({ status: 'sent', id: 'https://fcm.googleapis.com/msg/1' });
    const request = server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/fcm/send/abc123');
    expect(request.headers['content-encoding']).toBe('aes128gcm');
    expect(request.headers.ttl).toBe('60');
    expect(request.headers.urgency).toBe('high');

    const match = /^vapid t=([^,]+), k=(.+)$/.exec(String(request.headers.authorization));
    expect(match).not.toBeNull();
    const [, token, key] = match!;
    expect(key).toBe(vapid.publicKey);
    const point = Buffer.from(key!, 'base64url');
    const publicKey = await importJWK(
      { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
      'ES256',
    );
    expect(decodeProtectedHeader(token!).alg).toBe('ES256');
    const { payload } = await jwtVerify(token!, publicKey, { audience: 'https://fcm.googleapis.com', subject: 'mailto:ops@example.com' });
    expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(24 * 3600);

    const plaintext = decrypt(request.body, { version: 'aes128gcm', privateKey: receiver, authSecret });
    expect(JSON.parse(plaintext.toString('utf8'))).toEqual({ title: 'Hi', body: 'New comment', url: '/posts/1', data: { postId: '1' } });
  });

  it('a JWT signed by another key fails the check above (the test would catch a wrong signer)', async () => {
    const other = webpush.generateVAPIDKeys();
    const headers = webpush.getVapidHeaders('https://fcm.googleapis.com', 'mailto:ops@example.com', other.publicKey, other.privateKey, 'aes128gcm');
    const token = /t=([^,]+)/.exec(headers.Authorization)![1]!;
    const point = Buffer.from(vapid.publicKey, 'base64url');
    const publicKey = await importJWK(
      { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
      'ES256',
    );
    await expect(jwtVerify(token, publicKey)).rejects.toThrow();
  });

  it.each([404, 410])('reports %i as a dead subscription', async (status) => {
    server.setHandler((_request, response) => {
      response.statusCode = status;
      response.end('gone');
    });
    const result = await provider.send(subscription('expired'), { title: 'x' });
    expect(result.status).toBe('dead');
  });

  it('reports 429 with Retry-After as retryable after that many seconds', async () => {
    server.setHandler((_request, response) => {
      response.statusCode = 429;
      response.setHeader('retry-after', '120');
      response.end();
    });
    expect(await provider.send(subscription(), { title: 'x' })).toMatchObject({ status: 'retry', retryAfterSeconds: 120 });
  });

  it('reads an HTTP-date Retry-After', async () => {
    server.setHandler((_request, response) => {
      response.statusCode = 503;
      response.setHeader('retry-after', new Date(Date.now() + 60_000).toUTCString());
      response.end();
    });
    const result = await provider.send(subscription(), { title: 'x' });
    expect(result.status).toBe('retry');
    expect(result.status === 'retry' && result.retryAfterSeconds).toBeGreaterThanOrEqual(58);
  });

  it('reports 5xx as retryable', async () => {
    server.setHandler((_request, response) => {
      response.statusCode = 502;
      response.end('bad gateway');
    });
    expect(await provider.send(subscription(), { title: 'x' })).toMatchObject({ status: 'retry' });
  });

  it('reports a push service that does not answer in time as retryable', async () => {
    server.setHandler(() => {
      // never answers
    });
    const result = await provider.send(subscription(), { title: 'x' });
    expect(result).toMatchObject({ status: 'retry', reason: expect.stringContaining('did not answer within 500 ms') });
  });

  it('reports 403 (VAPID rejected) as a credentials problem, 400 as a rejected message', async () => {
    server.setHandler((_request, response) => {
      response.statusCode = 403;
      response.end();
    });
    expect((await provider.send(subscription(), { title: 'x' })).status).toBe('credentials');
    server.setHandler((_request, response) => {
      response.statusCode = 413;
      response.end('too large');
    });
    expect((await provider.send(subscription(), { title: 'x' })).status).toBe('rejected');
  });

  it('reports malformed subscription keys as dead without contacting the service', async () => {
    const before = server.requests.length;
    const result = await provider.send({ ...subscription(), keys: { p256dh: 'not-a-key', auth: 'short' } }, { title: 'x' });
    expect(result.status).toBe('dead');
    expect(server.requests.length).toBe(before);
  });

  it('refuses bad VAPID configuration at construction', () => {
    expect(() => createWebPushProvider({ vapidPublicKey: 'nope', vapidPrivateKey: vapid.privateKey, subject: 'mailto:a@b.c' })).toThrow();
    expect(() => createWebPushProvider({ vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, subject: 'not a url' })).toThrow();
  });
});
