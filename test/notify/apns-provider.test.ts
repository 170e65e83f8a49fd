import { generateKeyPairSync } from 'node:crypto';
import { constants, createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApnsProvider, type PushProvider } from '../../src/notify/index.ts';

/**
 * The test runs an HTTP/2 server (cleartext h2 on loopback, reached through the base-URL override)
 * that checks the ES256 provider token with the key's public half, the APNs headers and the JSON
 * payload, then answers as `answer` says.
 */
describe('APNs provider against a local HTTP/2 server', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const deviceToken = 'a'.repeat(64);
  let server: Http2Server;
  let provider: PushProvider;
  const received: { headers: IncomingHttpHeaders; body: string; jwtOk: boolean }[] = [];
  let sessions = 0;
  let answer: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void;

  const reply = (stream: ServerHttp2Stream, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, 'apns-id': 'A1B2C3D4-0000-0000-0000-000000000001', ...headers });
    stream.end(body === undefined ? undefined : JSON.stringify(body));
  };

  beforeAll(async () => {
    const verifyKey = await importSPKI(publicPem, 'ES256');
    server = createServer();
    server.on('session', () => sessions++);
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const token = /^bearer (.+)$/.exec(String(headers.authorization))?.[1] ?? '';
        let jwtOk = false;
        try {
          const { payload } = await jwtVerify(token, verifyKey, { issuer: 'TEAMID1234', algorithms: ['ES256'] });
          jwtOk = decodeProtectedHeader(token).kid === 'KEYID12345' && typeof payload.iat === 'number';
        } catch {
          jwtOk = false;
        }
        received.push({ headers, body: Buffer.concat(chunks).toString('utf8'), jwtOk });
        if (!jwtOk) return reply(stream, 403, { reason: 'InvalidProviderToken' });
        answer(stream, headers);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    provider = createApnsProvider({
      key: keyPem,
      keyId: 'KEYID12345',
      teamId: 'TEAMID1234',
      topic: 'com.example.blog',
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 500,
    });
  });
  afterAll(async () => {
    await provider.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    answer = (stream) => reply(stream, 200);
  });

  it('sends over HTTP/2 with an ES256 provider token, APNs headers and an aps payload', async () => {
    const result = await provider.send({ platform: 'apns', token: deviceToken }, { title: 'Hi', body: 'There', url: '/posts/1', data: { postId: '1', aps: 'ignored' }, collapseKey: 'chat' });
    expect(result).toEqual({ status: 'sent', id: 'A1B2C3D4-0000-0000-0000-000000000001' });
    const request = received.at(-1)!;
    expect(request.jwtOk).toBe(true);
    expect(request.headers[':method']).toBe('POST');
    expect(request.headers[':path']).toBe(`/3/device/${deviceToken}`);
    expect(request.headers['apns-topic']).toBe('com.example.blog');
    expect(request.headers['apns-push-type']).toBe('alert');
    expect(request.headers['apns-priority']).toBe('10');
    expect(request.headers['apns-collapse-id']).toBe('chat');
    expect(Number(request.headers['apns-expiration'])).toBeGreaterThan(Date.now() / 1000);
    expect(JSON.parse(request.body)).toEqual({ postId: '1', url: '/posts/1', aps: { alert: { title: 'Hi', body: 'There' }, sound: 'default', 'thread-id': 'chat' } });
  });

  it('keeps one HTTP/2 session for many sends', async () => {
    const before = sessions;
    await Promise.all([1, 2, 3].map(() => provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })));
    expect(sessions - before).toBeLessThanOrEqual(1);
  });

  it('reports 410 Unregistered and 400 BadDeviceToken as dead', async () => {
    answer = (stream) => reply(stream, 410, { reason: 'Unregistered', timestamp: Date.now() });
    expect(await provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).toMatchObject({ status: 'dead', reason: expect.stringContaining('410') });
    answer = (stream) => reply(stream, 400, { reason: 'BadDeviceToken' });
    expect((await provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).status).toBe('dead');
  });

  it('reports a non-hex token as dead without sending', async () => {
    const before = received.length;
    expect((await provider.send({ platform: 'apns', token: 'not hex!' }, { title: 'x' })).status).toBe('dead');
    expect(received.length).toBe(before);
  });

  it('reports 429 with Retry-After and 503 as retryable', async () => {
    answer = (stream) => reply(stream, 429, { reason: 'TooManyRequests' }, { 'retry-after': '7' });
    expect(await provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).toMatchObject({ status: 'retry', retryAfterSeconds: 7 });
    answer = (stream) => reply(stream, 503, { reason: 'ServiceUnavailable' });
    expect((await provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).status).toBe('retry');
  });

  it('reports a server that does not answer in time as retryable, and recovers', async () => {
    answer = () => {};
    expect(await provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).toMatchObject({ status: 'retry', reason: expect.stringContaining('500 ms') });
    answer = (stream) => reply(stream, 200);
    expect((await provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).status).toBe('sent');
  });

  it('signs a fresh provider token once on ExpiredProviderToken', async () => {
    let calls = 0;
    answer = (stream) => (++calls === 1 ? reply(stream, 403, { reason: 'ExpiredProviderToken' }) : reply(stream, 200));
    expect((await provider.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).status).toBe('sent');
    expect(calls).toBe(2);
  });

  it('a key the server does not accept is a credentials result, not a dead device', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { port } = server.address() as AddressInfo;
    const wrongKey = createApnsProvider({ key: other, keyId: 'KEYID12345', teamId: 'TEAMID1234', topic: 'com.example.blog', baseUrl: `http://127.0.0.1:${port}` });
    try {
      const result = await wrongKey.send({ platform: 'apns', token: deviceToken }, { title: 'x' });
      expect(result).toMatchObject({ status: 'credentials', reason: expect.stringContaining('InvalidProviderToken') });
      expect(received.at(-1)!.jwtOk).toBe(false);
    } finally {
      await wrongKey.close();
    }
  });

  it('an unreachable APNs host is retryable', async () => {
    const unreachable = createApnsProvider({ key: keyPem, keyId: 'KEYID12345', teamId: 'TEAMID1234', topic: 't', baseUrl: 'http://127.0.0.1:1' });
    expect((await unreachable.send({ platform: 'apns', token: deviceToken }, { title: 'x' })).status).toBe('retry');
    await unreachable.close();
  });
});
