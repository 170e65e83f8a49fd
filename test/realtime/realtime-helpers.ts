import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { App } from '../../src/app.ts';

export interface Received {
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: any;
}

/** One open operation's results, in order, and ways to wait for them. */
export interface Stream {
  results: Received[];
  /** Resolves once `count` results arrived (with all of them). */
  until(count: number): Promise<Received[]>;
  /** Resolves when the server completed or errored the operation. */
  ended: Promise<{ error?: unknown }>;
  stop(): void;
}

export function collect(subscribe: (sink: { next(v: Received): void; error(e: unknown): void; complete(): void }) => () => void): Stream {
  const results: Received[] = [];
  const waiters: { count: number; resolve: (r: Received[]) => void }[] = [];
  let end!: (value: { error?: unknown }) => void;
  const ended = new Promise<{ error?: unknown }>((resolve) => (end = resolve));
  const stop = subscribe({
    next(value) {
      results.push(value);
      for (const w of waiters.filter((w) => results.length >= w.count)) w.resolve(results);
    },
    error: (error) => end({ error }),
    complete: () => end({}),
  });
  return {
    results,
    until: (count) => (results.length >= count ? Promise.resolve(results) : new Promise((resolve) => waiters.push({ count, resolve }))),
    ended,
    stop,
  };
}

/** graphql-ws clients on `url`, disposed together. */
export function wsClients(url: () => string) {
  const clients: Client[] = [];
  return {
    connect(connectionParams?: Record<string, unknown>) {
      const client = createClient({ url: url(), connectionParams, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
      clients.push(client);
      return client;
    },
    subscribe(client: Client, query: string, variables?: Record<string, unknown>): Stream {
      return collect((sink) => client.subscribe({ query, variables }, { next: sink.next, error: sink.error, complete: sink.complete }));
    },
    async disposeAll() {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    },
  };
}

/** Waits until the server has `count` change streams listening on the bus (no timing involved in what is asserted). */
export async function untilStreams(app: App, count: number, mode: 'at least' | 'exactly' = 'at least'): Promise<void> {
  const done = () => (mode === 'exactly' ? app.realtime.stats().streams === count : app.realtime.stats().streams >= count);
  while (!done()) await new Promise((r) => setTimeout(r, 5));
}

/** Waits until the server has exactly `count` open streaming operations. */
export async function untilOperations(app: App, count: number): Promise<void> {
  while (app.realtime.stats().operations !== count) await new Promise((r) => setTimeout(r, 5));
}

/** Waits until `count` live queries listen for changes. */
export async function untilLiveQueries(app: App, count: number): Promise<void> {
  while (app.realtime.stats().liveQueries < count) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Real mutations through the API (yoga's HTTP handler, the rules of `token`'s user enforced):
 * the write path's change capture publishes them after COMMIT, as in production.
 */
export function mutations(gql: (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<{ data?: any; errors?: unknown[] }>) {
  const run = async (token: string | undefined, query: string, variables: Record<string, unknown>) => {
    const result = await gql(query, variables, token ? { authorization: `Bearer ${token}` } : {});
    if (result.errors) throw new Error(`mutation failed: ${JSON.stringify(result.errors)}`);
    return Object.values(result.data as Record<string, any>)[0];
  };
  return (token?: string) => ({
    create: (model: string, data: Record<string, unknown>) =>
      run(token, `mutation ($data: ${model}CreateInput!) { create${model}(data: $data) { id } }`, { data }),
    update: (model: string, id: unknown, data: Record<string, unknown>) =>
      run(token, `mutation ($id: Int!, $data: ${model}UpdateInput!) { update${model}(where: { id: $id }, data: $data) { id } }`, { id, data }),
    delete: (model: string, id: unknown) => run(token, `mutation ($id: Int!) { delete${model}(where: { id: $id }) { id } }`, { id }),
  });
}
