import { cpSync, existsSync, mkdirSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname, join, relative } from 'node:path';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import { generateClients, loadGenerated, pushSchema, type Generated } from '../db/index.ts';
import { loadFunctions } from '../extend/index.ts';
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
 * syncs the development database and swaps in a freshly built app, and every save in the app's
 * code folder (`functions/`) swaps in an app built with a fresh import of it. A schema or app code
 * that fails to validate, load or sync leaves the previous app serving.
 */
export async function startDevServer(io: Io, env: NodeJS.ProcessEnv = process.env): Promise<DevServer> {
  const config = loadConfig(env, { syncSchema: 'off' });
  let current: App | undefined;
  let generation = 0;
  let functionsVersion = 0;
  let servingDir: string | undefined;
  let served: Generated | undefined;
  // A Prisma client is an ES module graph: a changed one must load from new URLs, so each
  // generation gets its own folder (the real generated dir is refreshed from it too).
  const devRoot = join(config.generatedDir, '.dev');
  const functionsDir = config.functionsPath ? dirname(config.functionsPath) : null;

  const server = createServer((req, res) => {
    if (current) current.server.emit('request', req, res);
    else res.writeHead(503).end('Cairn is starting');
  });
  server.on('upgrade', (req, socket, head) => (current ? current.server.emit('upgrade', req, socket, head) : socket.destroy()));

  // Saves that arrive during a reload queue behind it, so generations never interleave.
  let queue = Promise.resolve(true);
  const reload = (what: 'schema' | 'functions' = 'schema') => (queue = queue.then(() => rebuild(what)));

  async function rebuild(what: 'schema' | 'functions'): Promise<boolean> {
    const started = performance.now();
    // App code alone changed: the serving generation's client and database stay as they are.
    const schemaChanged = what === 'schema' || !served;
    const outDir = schemaChanged ? join(devRoot, String(++generation)) : servingDir!;
    let stage: 'schema' | 'functions' = 'schema';
    try {
      let generated = served!;
      if (schemaChanged) {
        await generateClients({ schemaPath: config.schemaPath, outDir });
        generated = await loadGenerated(outDir, config.provider);
        await pushSchema({ databaseUrl: config.databaseUrl, schemaPath: generated.schemaPath });
      }
      stage = 'functions';
      // A new version every build: the import is a fresh copy of the app code, edited or not.
      const functions = await loadFunctions(config.functionsPath, ++functionsVersion);
      const next = await buildApp({ config, generated, functions });
      const previous = current;
      current = next;
      await previous?.stop();
      // The dev server serves without app.start(): the app code's jobs, schedules and webhooks start here.
      await next.startWorkers();
      if (schemaChanged) cpSync(join(outDir, config.provider), join(config.generatedDir, config.provider), { recursive: true });
      // Codegen watchers and typed documents follow the served API, not the last `cairn generate`.
      const typed = await writeSdl({ generatedDir: config.generatedDir, schemaPath: config.schemaPath, cwd: process.cwd(), sdl: printSdl(next.schema) }).catch(
        (error: Error) => `✖ typed documents not written: ${error.message}`,
      );
      // The previous generation's folder (not simply n-1: failed saves leave gaps).
      if (schemaChanged && servingDir) rmSync(servingDir, { recursive: true, force: true });
      servingDir = outDir;
      served = generated;
      io.out(`✔ API reloaded in ${Math.round(performance.now() - started)} ms`);
      for (const line of typed.split('\n')) (line.startsWith('✖') ? io.err : io.out)(line);
      return true;
    } catch (error) {
      if (schemaChanged) rmSync(outDir, { recursive: true, force: true });
      const file = stage === 'schema' ? basename(config.schemaPath) : relative(process.cwd(), config.functionsPath ?? '');
      // App code errors are the app's own: their stack points at the line that threw.
      const detail = stage === 'functions' ? ((error as Error).stack ?? String(error)) : (error as Error).message;
      io.err(`✖ ${file} not applied; the previous API keeps serving.\n${detail}`);
      return false;
    }
  }

  mkdirSync(devRoot, { recursive: true });
  if (!(await reload())) throw new Error('the schema and app code must be valid to start');
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as { port: number };

  const timers: Partial<Record<'schema' | 'functions', NodeJS.Timeout>> = {};
  const later = (what: 'schema' | 'functions') => {
    clearTimeout(timers[what]);
    timers[what] = setTimeout(() => void reload(what), 150);
  };
  // Watch folders, not files: editors often save by replacing the file.
  const watchers: FSWatcher[] = [
    watch(dirname(config.schemaPath), (_event, file) => {
      if (file === basename(config.schemaPath)) later('schema');
    }),
  ];
  const watchFunctions = () => {
    watchers.push(
      watch(functionsDir!, { recursive: true }, (_event, file) => {
        // Not what Cairn or tools write themselves (a reload writes typed documents under `generated/`).
        if (file && !file.split(/[\\/]/).some((part) => part === 'node_modules' || part === 'generated' || part.startsWith('.'))) later('functions');
      }),
    );
  };
  if (functionsDir && existsSync(functionsDir)) watchFunctions();
  else if (functionsDir && existsSync(dirname(functionsDir))) {
    // No app code yet: a `functions/` folder created during the session is picked up.
    const parent = watch(dirname(functionsDir), (_event, file) => {
      if (file !== basename(functionsDir) || !existsSync(functionsDir)) return;
      parent.close();
      watchFunctions();
      later('functions');
    });
    watchers.push(parent);
  }

  return {
    url: `http://localhost:${port}/graphql`,
    reload: () => reload('schema'),
    async close() {
      for (const watcher of watchers) watcher.close();
      for (const timer of Object.values(timers)) clearTimeout(timer);
      await current?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(devRoot, { recursive: true, force: true });
    },
  };
}
