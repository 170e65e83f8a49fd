import { createECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import { constants, createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import { decodeProtectedHeader, importJWK, importSPKI, jwtVerify } from 'jose';
import webpush from 'web-push';
import { startLocalServer } from './local-http-server.ts';

/** What a fake push service answers for one request: a status (and headers), or no answer at all (`hang`). */
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | { hang: true };

/** One message a fake push service took in, decoded (Web Push: VAPID-verified and decrypted). */
export interface Received {
  platform: 'webpush' | 'fcm' | 'apns';
  /** The device address: the subscription path, the FCM or APNs token. */
  address: string;
  payload: any;
  headers: Record<string, unknown>;
  at: number;
  /** The status the service answered with (undefined: it never answered). */
  status?: number;
}

/**
 * Web Push, FCM HTTP v1 (with its OAuth token endpoint) and APNs (HTTP/2) on loopback, each
 * checking the credentials the way the real service does, and `answer(received, n)` deciding each
 * reply (n: how many requests this address got before). `env` configures Cairn for all three.
 */
export async function startPushServices() {
  const received: Received[] = [];
  let answer: (r: Received, n: number) => Answer = () => ({ status: 201 });
  let fcmRevoked = false;
  const countFor = (platform: string, address: string) => received.filter((r) => r.platform === platform && r.address === address).length - 1;
  const respond = (r: Received, reply: (status: number, headers: Record<string, string>, body?: unknown) => void) => {
    const decided = answer(r, countFor(r.platform, r.address));
    if ('hang' in decided) return;
    r.status = decided.status;
    reply(decided.status, decided.headers ?? {}, decided.body);
  };

  // Web Push: the subscriber's key pair (every device shares it; the endpoint path tells them apart).
  const vapid = webpush.generateVAPIDKeys();
  const subscriber = createECDH('prime256v1');
  subscriber.generateKeys();
  const authSecret = randomBytes(16).toString('base64url');
  const point = Buffer.from(vapid.publicKey, 'base64url');
  const vapidKey = await importJWK({ kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, 'ES256');
  const web = await startLocalServer(async (request, response) => {
    const match = /^vapid t=([^,]+), k=(.+)$/.exec(String(request.headers.authorization));
    let payload: unknown = null;
    try {
      if (!match || match[2] !== vapid.publicKey) throw new Error('no VAPID');
      await jwtVerify(match[1]!, vapidKey, { audience: 'https://push.example.net', subject: 'mailto:ops@example.com' });
      payload = JSON.parse(decrypt(request.body, { version: 'aes128gcm', privateKey: subscriber, authSecret }).toString('utf8'));
    } catch (error) {
      response.statusCode = 403;
      response.end(String(error));
      return;
    }
    const r: Received = { platform: 'webpush', address: request.url.replace(/^\/sub\//, ''), payload, headers: request.headers, at: Date.now() };
    received.push(r);
    respond(r, (status, headers) => {
      response.writeHead(status, headers);
      response.end();
    });
  });

  // FCM: the token endpoint verifies the service-account JWT; sends need its bearer token.
  const fcmKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const fcmPublic = await importSPKI(fcmKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
  const tokens = new Set<string>();
  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const fcm = await startLocalServer(async (request, response) => {
    if (request.url === '/token') {
      const form = new URLSearchParams(request.body.toString('utf8'));
      if (fcmRevoked) return void json(response, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      await jwtVerify(form.get('assertion')!, fcmPublic, { issuer: 'cairn@test-project.iam.gserviceaccount.com' });
      const token = `ya29.${randomBytes(6).toString('hex')}`;
      tokens.add(token);
      return void json(response, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization))?.[1];
    if (!bearer || !tokens.has(bearer)) return void json(response, 401, { error: { code: 401, status: 'UNAUTHENTICATED', message: 'bad token' } });
    const message = JSON.parse(request.body.toString('utf8')).message;
    const r: Received = { platform: 'fcm', address: message.token, payload: message, headers: request.headers, at: Date.now() };
    received.push(r);
    respond(r, (status, headers, body) => json(response, status, body ?? (status === 200 ? { name: `projects/test-project/messages/${received.length}` } : {}), headers));
  });

  // APNs: HTTP/2, ES256 provider token.
  const apnsKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const apnsPublic = await importSPKI(apnsKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256');
  const apns: Http2Server = createHttp2Server();
  apns.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', async () => {
      const token = /^bearer (.+)$/.exec(String(headers.authorization))?.[1] ?? '';
      try {
        await jwtVerify(token, apnsPublic, { issuer: 'TEAMID1234', algorithms: ['ES256'] });
        if (decodeProtectedHeader(token).kid !== 'KEYID12345') throw new Error('kid');
      } catch {
        stream.respond({ [constants.HTTP2_HEADER_STATUS]: 403 });
        return stream.end(JSON.stringify({ reason: 'InvalidProviderToken' }));
      }
      const r: Received = { platform: 'apns', address: String(headers[':path']).replace('/3/device/', ''), payload: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers, at: Date.now() };
      received.push(r);
      respond(r, (status, extra, body) => {
        stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, 'apns-id': randomBytes(4).toString('hex'), ...extra });
        stream.end(body === undefined ? undefined : JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => apns.listen(0, '127.0.0.1', resolve));
  const apnsUrl = `http://127.0.0.1:${(apns.address() as AddressInfo).port}`;

  const env: Record<string, string> = {
    CAIRN_VAPID_PUBLIC_KEY: vapid.publicKey,
    CAIRN_VAPID_PRIVATE_KEY: vapid.privateKey,
    CAIRN_VAPID_SUBJECT: 'mailto:ops@example.com',
    CAIRN_WEBPUSH_BASE_URL: web.url,
    CAIRN_FCM_SERVICE_ACCOUNT: JSON.stringify({
      type: 'service_account',
      project_id: 'test-project',
      client_email: 'cairn@test-project.iam.gserviceaccount.com',
      private_key: fcmKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: `${fcm.url}/token`,
    }),
    CAIRN_FCM_BASE_URL: fcm.url,
    CAIRN_APNS_KEY: apnsKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    CAIRN_APNS_KEY_ID: 'KEYID12345',
    CAIRN_APNS_TEAM_ID: 'TEAMID1234',
    CAIRN_APNS_TOPIC: 'com.example.blog',
    CAIRN_APNS_BASE_URL: apnsUrl,
  };
  return {
    env,
    received,
    /** A Web Push subscription whose messages the fake service decrypts (`name` becomes its path). */
    subscription: (name: string) => ({ address: `https://push.example.net/sub/${name}`, keys: JSON.stringify({ p256dh: subscriber.getPublicKey().toString('base64url'), auth: authSecret }) }),
    setAnswer(next: (r: Received, n: number) => Answer) {
      answer = next;
    },
    revokeFcm(revoked = true) {
      fcmRevoked = revoked;
      tokens.clear();
    },
    /** Messages accepted (answered 2xx) for an address. */
    accepted: (address: string) => received.filter((r) => r.address === address && r.status !== undefined && r.status < 300),
    async close() {
      await web.close();
      await fcm.close();
      await new Promise<void>((resolve) => apns.close(() => resolve()));
    },
  };
}

export type PushServices = Awaited<ReturnType<typeof startPushServices>>;
