import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { sharedRedisUrl, startOwnRedis } from '../support/redis-server.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { mutations, untilLiveQueries, untilOperations, untilStreams, wsClients } from './realtime-helpers.ts';

const child = fileURLToPath(new URL('./fixtures/instance-child.ts', import.meta.url));

/** A second server process on the same database and Redis; resolves with its port. */
async function startInstance(env: Record<string, string>): Promise<{ port: number; process: ChildProcess; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line).port);
    });
    proc.once('exit', (code) => reject(new Error(`instance exited with ${code}: ${out}`)));
  });
  return {
    port,
    process: proc,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

describeEachProvider(
  'realtime: across instances (Redis)',
  (provider) => {
    let a: TestApp;
    let b: Awaited<ReturnType<typeof startInstance>>;
    let alice: { token: string; id: number };
    const onB = wsClients(() => `ws://127.0.0.1:${b.port}/graphql`);
    const prefix = `test:${randomBytes(6).toString('hex')}:`;

    beforeAll(async () => {
      a = await createTestApp('blog', provider, { ...authEnv, REDIS_URL: sharedRedisUrl, CAIRN_REDIS_PREFIX: prefix });
      await a.app.start();
      alice = await signUp(a, 'alice@example.org');
      b = await startInstance({ DATABASE_URL: a.app.config.databaseUrl, REDIS_URL: sharedRedisUrl, CAIRN_REDIS_PREFIX: prefix, ...authEnv });
    });
    afterEach(() => onB.disposeAll());
    afterAll(async () => {
      await b?.stop();
      await a?.close();
    });

    it('a write on one instance reaches subscribers on the other, with their own session and rules', async () => {
      const anonymous = onB.subscribe(onB.connect(), 'subscription { postCreated { title } }');
      const author = onB.subscribe(onB.connect({ authorization: `Bearer ${alice.token}` }), 'subscription { postCreated { title author { email } } }');
      // Nothing on B reports its streams to this process: a first write proves B listens.
      // Real mutations through instance A's API; the subscribers are on B.
      const write = mutations(a.gql)(alice.token);
      let n = 0;
      const publish = (status: string) => write.create('Post', { slug: `m${++n}`, title: `${status} ${n}`, status, authorId: alice.id });
      await publish('PUBLISHED');
      while (!anonymous.results.length || !author.results.length) {
        await new Promise((r) => setTimeout(r, 20));
        if (!anonymous.results.length || !author.results.length) await publish('PUBLISHED');
      }
      await write.create('Post', { slug: 'x-draft', title: 'X draft', status: 'DRAFT', authorId: alice.id });
      await write.create('Post', { slug: 'x-pub', title: 'X published', status: 'PUBLISHED', authorId: alice.id });
      const titles = (stream: typeof author) => stream.results.map((r) => r.data.postCreated.title);
      while (!titles(author).includes('X published') || !titles(anonymous).includes('X published')) await new Promise((r) => setTimeout(r, 10));
      expect(titles(author).slice(-2)).toEqual(['X draft', 'X published']);
      expect(author.results.at(-1)!.data.postCreated.author.email).toBe('alice@example.org');
      expect(titles(anonymous).at(-1)).toBe('X published');
      expect(titles(anonymous)).not.toContain('X draft');
    });
  },
  ['postgresql'],
);

describeEachProvider('realtime: Redis restarted mid-test', (provider) => {
  let t: TestApp;
  let url: string;
  let redis: Awaited<ReturnType<typeof startOwnRedis>>;
  let alice: { token: string; id: number };
  const ws = wsClients(() => url);

  beforeAll(async () => {
    redis = await startOwnRedis();
    t = await createTestApp('blog', provider, { ...authEnv, REDIS_URL: redis.url, CAIRN_LIVE_THROTTLE_MS: '0' });
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    alice = await signUp(t, 'alice@example.org');
  });
  afterAll(async () => {
    await ws.disposeAll();
    await untilOperations(t.app, 0);
    await t.close();
    await redis.stop();
  });

  it('reconnects and resubscribes; subscribers get the missed-events signal, live queries re-run, delivery resumes', async () => {
    const write = mutations(t.gql)(alice.token);
    const changes = ws.subscribe(ws.connect(), 'subscription { postChanged { kind node { title } } }');
    const live = ws.subscribe(ws.connect(), 'query @live { postsCount(where: { status: { equals: PUBLISHED } }) }');
    await untilStreams(t.app, 1);
    await live.until(1);
    await untilLiveQueries(t.app, 1);
    await write.create('Post', { slug: 'r1', title: 'Before', status: 'PUBLISHED', authorId: alice.id });
    expect((await changes.until(1))[0]!.data.postChanged).toEqual({ kind: 'CREATED', node: { title: 'Before' } });
    expect((await live.until(2))[1]!.data).toEqual({ postsCount: 1 });

    await redis.stop();
    // Written while the bus is down and never published: only a re-run can show it.
    await t.app.db.post.create({ data: { slug: 'r2', title: 'Unannounced', status: 'PUBLISHED', authorId: alice.id } });
    await redis.start();

    const [, signal] = await changes.until(2);
    expect(signal).toEqual({ extensions: { cairn: { missedEvents: true } } });
    expect((await live.until(3))[2]!.data).toEqual({ postsCount: 2 });
    await write.create('Post', { slug: 'r3', title: 'After', status: 'PUBLISHED', authorId: alice.id });
    expect((await changes.until(3))[2]!.data.postChanged).toEqual({ kind: 'CREATED', node: { title: 'After' } });
  });
});
