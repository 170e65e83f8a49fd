import { cpSync, mkdirSync, rmSync, watch } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import { generateClients, loadGenerated, pushSchema } from '../db/index.ts';
import { printSdl } from '../schema/index.ts';
import type { Io } from './create-io.ts';
import { writeSdl } from './write-sdl.ts';

export interface DevServer {
  url: string;
  /** Rebuilds now (the watcher calls this on every save). Resolves true when the new API serves. */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * `cairn dev`: one HTTP server for the whole session; every schema save regenerates the client,
 * syncs the development database and swaps in a freshly built app. A schema that fails to
 * validate or to sync leaves the previous app serving.
 */
export async function startDevServer(io: Io, env: NodeJS.ProcessEnv = process.env): Promise<DevServer> {
  const config = loadConfig(env, { syncSchema: 'off' });
  let current: App | undefined;
  let generation = 0;
  let servingDir: string | undefined;
  // A Prisma client is an ES module graph: a changed one must load from new URLs, so each
  // generation gets its own folder (the real generated dir is refreshed from it too).
  const devRoot = join(config.generatedDir, '.dev');

  const server = createServer((req, res) => {
    if (current) current.server.emit('request', req, res);
    else res.writeHead(503).end('Cairn is starting');
  });
  server.on('upgrade', (req, socket, head) => (current ? current.server.emit('upgrade', req, socket, head) : socket.destroy()));

  // Saves that arrive during a reload queue behind it, so generations never interleave.
  let queue = Promise.resolve(true);
  const reload = () => (queue = queue.then(rebuild));

  async function rebuild(): Promise<boolean> {
    const started = performance.now();
    const outDir = join(devRoot, String(++generation));
    try {
      await generateClients({ schemaPath: config.schemaPath, outDir });
      const generated = await loadGenerated(outDir, config.provider);
      await pushSchema({ databaseUrl: config.databaseUrl, schemaPath: generated.schemaPath });
      const next = await buildApp({ config, generated });
      const previous = current;
      current = next;
      await previous?.stop();
      cpSync(join(outDir, config.provider), join(config.generatedDir, config.provider), { recursive: true });
      // Codegen watchers and typed documents follow the served API, not the last `cairn generate`.
      const typed = await writeSdl({ generatedDir: config.generatedDir, schemaPath: config.schemaPath, cwd: process.cwd(), sdl: printSdl(next.schema) }).catch(
        (error: Error) => `✖ typed documents not written: ${error.message}`,
      );
      // The previous generation's folder (not simply n-1: failed saves leave gaps).
      if (servingDir) rmSync(servingDir, { recursive: true, force: true });
      servingDir = outDir;
      io.out(`✔ API reloaded in ${Math.round(performance.now() - started)} ms`);
      for (const line of typed.split('\n')) (line.startsWith('✖') ? io.err : io.out)(line);
      return true;
    } catch (error) {
      rmSync(outDir, { recursive: true, force: true });
      io.err(`✖ ${basename(config.schemaPath)} not applied; the previous API keeps serving.\n${(error as Error).message}`);
      return false;
    }
  }

  mkdirSync(devRoot, { recursive: true });
  if (!(await reload())) throw new Error('the schema must be valid to start');
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as { port: number };

  let timer: NodeJS.Timeout | undefined;
  // Watch the folder, not the file: editors often save by replacing the file.
  const watcher = watch(dirname(config.schemaPath), (_event, file) => {
    if (file !== basename(config.schemaPath)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), 150);
  });

  return {
    url: `http://localhost:${port}/graphql`,
    reload,
    async close() {
      watcher.close();
      clearTimeout(timer);
      await current?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(devRoot, { recursive: true, force: true });
    },
  };
}
