import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFcmProvider, parseFcmServiceAccount, type PushProvider } from '../../src/notify/index.ts';
import { startLocalServer, type RecordedRequest } from './local-http-server.ts';
import type { ServerResponse } from 'node:http';

/**
 * One loopback server plays both Google's OAuth token endpoint (it verifies the service-account
 * JWT with the account's public key) and FCM HTTP v1 (it checks the bearer token and the message
 * JSON). `fcmAnswer` decides what FCM says next.
 */
describe('FCM HTTP v1 provider against a local token endpoint and FCM server', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  let provider: PushProvider;
  let issued = 0;
  let revoked = false;
  let fcmAnswer: (request: RecordedRequest, response: ServerResponse) => void;
  const validTokens = new Set<string>();

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const fcmError = (status: number, grpc: string, errorCode?: string) => ({
    error: {
      code: status,
      status: grpc,
      message: 'test',
      details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
    },
  });

  beforeAll(async () => {
    server = await startLocalServer(async (request, response) => {
      if (request.url === '/token') {
        const form = new URLSearchParams(request.body.toString('utf8'));
        expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
        if (revoked) return json(response, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
        const { payload } = await jwtVerify(form.get('assertion')!, await importSPKI(publicPem, 'RS256'), {
          issuer: 'cairn@test-project.iam.gserviceaccount.com',
          audience: `${server.url}/token`,
        });
        expect(payload.scope).toBe('https://www.googleapis.com/auth/firebase.messaging');
        const token = `ya29.test-${++issued}`;
        validTokens.add(token);
        return json(response, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
      }
      if (request.url === '/v1/projects/test-project/messages:send') {
        const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization))?.[1];
        if (!bearer || !validTokens.has(bearer)) return json(response, 401, fcmError(401, 'UNAUTHENTICATED', 'THIRD_PARTY_AUTH_ERROR'));
        expect(request.headers['content-type']).toMatch(/^application\/json/);
        return fcmAnswer(request, response);
      }
      json(response, 404, { error: { code: 404, status: 'NOT_FOUND', message: `no route ${request.url}` } });
    });
    provider = createFcmProvider({
      serviceAccount: parseFcmServiceAccount(
        JSON.stringify({
          type: 'service_account',
          project_id: 'test-project',
          client_email: 'cairn@test-project.iam.gserviceaccount.com',
          private_key: privatePem,
          token_uri: `${server.url}/token`,
        }),
      ),
      baseUrl: server.url,
      timeoutMs: 500,
    });
  });
  afterAll(async () => {
    await provider.close();
    await server.close();
  });
  beforeEach(() => {
    revoked = false;
    fcmAnswer = (_request, response) => json(response, 200, { name: 'projects/test-project/messages/0:1' });
  });

  it('exchanges the signed service-account JWT for a token and sends a v1 message with it', async () => {
    const result = await provider.send({ platform: 'fcm', token: 'device-token-1' }, { title: 'Hi', body: 'There', url: '/posts/1', data: { postId: '1' }, collapseKey: 'chat' });
    expect(result).toEqual({ status: 'sent', id: 'projects/test-project/messages/0:1' });
    const send = server.requests.filter((request) => request.url.endsWith('messages:send')).at(-1)!;
    expect(JSON.parse(send.body.toString('utf8'))).toEqual({
      message: {
        token: 'device-token-1',
        notification: { title: 'Hi', body: 'There' },
        data: { postId: '1', url: '/posts/1' },
        android: { priority: 'HIGH', ttl: '86400s', collapse_key: 'chat' },
        webpush: { fcm_options: { link: '/posts/1' } },
      },
    });
  });

  it('reuses the access token across sends', async () => {
    const before = issued;
    await provider.send({ platform: 'fcm', token: 'a' }, { title: 'x' });
    await provider.send({ platform: 'fcm', token: 'b' }, { title: 'x' });
    expect(issued - before).toBeLessThanOrEqual(1);
  });

  it('reports UNREGISTERED as a dead token', async () => {
    fcmAnswer = (_request, response) => json(response, 404, fcmError(404, 'NOT_FOUND', 'UNREGISTERED'));
    expect(await provider.send({ platform: 'fcm', token: 'gone' }, { title: 'x' })).toMatchObject({ status: 'dead', reason: expect.stringContaining('UNREGISTERED') });
  });

  it('reports QUOTA_EXCEEDED 429 with Retry-After as retryable', async () => {
    fcmAnswer = (_request, response) => json(response, 429, fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'), { 'retry-after': '30' });
    expect(await provider.send({ platform: 'fcm', token: 't' }, { title: 'x' })).toMatchObject({ status: 'retry', retryAfterSeconds: 30 });
  });

  it('reports 503 UNAVAILABLE as retryable', async () => {
    fcmAnswer = (_request, response) => json(response, 503, fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE'));
    expect((await provider.send({ platform: 'fcm', token: 't' }, { title: 'x' })).status).toBe('retry');
  });

  it('reports an FCM server that does not answer in time as retryable', async () => {
    fcmAnswer = () => {};
    expect(await provider.send({ platform: 'fcm', token: 't' }, { title: 'x' })).toMatchObject({ status: 'retry', reason: expect.stringContaining('500 ms') });
  });

  it('refetches the access token once when FCM no longer accepts it', async () => {
    validTokens.clear();
    const before = issued;
    expect((await provider.send({ platform: 'fcm', token: 't' }, { title: 'x' })).status).toBe('sent');
    expect(issued).toBe(before + 1);
  });

  it('a revoked service account gives a clear credentials result, not a crash', async () => {
    validTokens.clear();
    revoked = true;
    const result = await provider.send({ platform: 'fcm', token: 't' }, { title: 'x' });
    expect(result).toEqual({
      status: 'credentials',
      reason: expect.stringMatching(/rejected service account cairn@test-project.*invalid_grant.*revoked/),
    });
    // And it keeps working once the credential is valid again.
    revoked = false;
    expect((await provider.send({ platform: 'fcm', token: 't' }, { title: 'x' })).status).toBe('sent');
  });

  it('names what is missing from a service-account key', () => {
    expect(() => parseFcmServiceAccount('{')).toThrow(/not valid JSON/);
    expect(() => parseFcmServiceAccount(JSON.stringify({ project_id: 'p', client_email: 'e' }))).toThrow(/lacks "private_key"/);
  });

  it('an unreadable private key is a credentials result', async () => {
    const broken = createFcmProvider({
      serviceAccount: { project_id: 'test-project', client_email: 'x@y', private_key: 'not a pem' },
      tokenUrl: `${server.url}/token`,
      baseUrl: server.url,
    });
    expect(await broken.send({ platform: 'fcm', token: 't' }, { title: 'x' })).toMatchObject({ status: 'credentials', reason: expect.stringContaining('private_key') });
  });
});
