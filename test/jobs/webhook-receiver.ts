import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

export type Behaviour = (request: Received, index: number) => { status?: number; headers?: Record<string, string>; hang?: boolean; delayMs?: number };

/** A webhook receiver on loopback whose answers the test scripts (status, delay, redirect, silence). */
export async function createReceiver(behaviour: Behaviour = () => ({ status: 200 })) {
  const received: Received[] = [];
  let current = behaviour;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body, path: req.url ?? '/' };
      const answer = current(request, received.length);
      received.push(request);
      if (answer.hang) return;
      setTimeout(() => res.writeHead(answer.status ?? 200, answer.headers).end('ok'), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    set: (next: Behaviour) => void (current = next),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A port nothing listens on (a receiver that is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
