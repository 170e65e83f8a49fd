import { Agent, request } from 'node:http';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import type { Provider } from '../../src/db/index.ts';
import { sqliteFilePath } from '../../src/db/provider.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { processDatabase, spawnServer, type ServerProcess } from './serve-process.ts';

interface Answer {
  status: number;
  connection: string | undefined;
  json: any;
}

/** One POST over a keep-alive agent. */
function post(agent: Agent, url: URL, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, json: JSON.parse(data) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function slugsIn(provider: Provider, databaseUrl: string): Promise<Set<string>> {
  if (provider === 'sqlite') {
    const db = new Database(sqliteFilePath(databaseUrl), { readonly: true });
    try {
      return new Set((db.prepare('SELECT slug FROM "Post"').all() as { slug: string }[]).map((r) => r.slug));
    } finally {
      db.close();
    }
  }
  const schema = new URL(databaseUrl).searchParams.get('schema');
  const client = new pg.Client({ connectionString: databaseUrl.replace(/\?.*$/, '') });
  await client.connect();
  try {
    return new Set((await client.query(`SELECT slug FROM "${schema}"."Post"`)).rows.map((r) => r.slug));
  } finally {
    await client.end();
  }
}

describeEachProvider('graceful shutdown (a real server process)', (provider) => {
  let server: ServerProcess | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await server?.cleanup();
    await drop?.();
  });

  it('on SIGTERM under keep-alive load: Connection: close, running writes finish, every acknowledged write is stored, exit 0 within the deadline', async () => {
    const db = await processDatabase(provider);
    drop = db.drop;
    const deadlineMs = 10_000;
    server = await spawnServer(db.databaseUrl, { CAIRN_SHUTDOWN_TIMEOUT_MS: String(deadlineMs) });
    const url = new URL(server.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const signUp = await post(agent, url, {
      query: 'mutation ($email: String!, $password: String!) { signUp(email: $email, password: $password) { token user { id } } }',
      variables: { email: 'writer@example.com', password: 'correct horse battery staple' },
    });
    const { token, user } = signUp.json.data.signUp;
    const auth = { authorization: `Bearer ${token}` };

    const acknowledged: string[] = [];
    const afterSignal: Answer[] = [];
    let signalled = false;
    let sent = 0;
    // Eight clients, each sending writes back to back until the server stops answering (bounded).
    const client = async (n: number) => {
      for (let i = 0; i < 2000; i++) {
        const slug = `p-${n}-${i}`;
        sent++;
        try {
          const answer = await post(agent, url, { query: `mutation { createPost(data: { title: "t", slug: "${slug}", authorId: ${user.id} }) { slug } }` }, auth);
          if (signalled) afterSignal.push(answer);
          if (answer.status === 200 && answer.json.data?.createPost?.slug === slug) acknowledged.push(slug);
        } catch {
          return; // refused or reset: the server is gone for this client
        }
      }
    };
    const clients = Promise.all(Array.from({ length: 8 }, (_, n) => client(n)));
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 10));

    const started = Date.now();
    server.child.kill('SIGTERM');
    signalled = true;
    const code = await server.exited;
    const took = Date.now() - started;
    await clients;
    agent.destroy();

    expect(code, server.output()).toBe(0);
    expect(took).toBeLessThan(deadlineMs);
    const log = server.output();
    for (const step of ['signal received', 'stopped accepting connections', 'closed WebSocket connections', 'running requests finished', 'database closed']) {
      expect(log).toContain(`shutdown: ${step}`);
    }
    expect(log).not.toContain('deadline reached');
    // Responses to requests that were running at SIGTERM told their keep-alive clients to go. (On
    // SQLite, whose statements run synchronously, no request is reliably mid-flight when the signal lands.)
    expect(afterSignal.length).toBeGreaterThan(0);
    if (provider === 'postgresql') expect(afterSignal.some((a) => a.connection === 'close')).toBe(true);
    const stored = await slugsIn(provider, db.databaseUrl);
    expect(acknowledged.filter((slug) => !stored.has(slug))).toEqual([]);
    expect(sent).toBeLessThan(16_000);
  }, 120_000);
});
