import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeBuildStamp } from './build-stamp.ts';
import { providers, type Provider } from './provider.ts';
import { assertBlocksClosed, formatPrismaError, SchemaError } from './schema-errors.ts';

const require = createRequire(import.meta.url);
const datamodelGenerator = fileURLToPath(new URL('./datamodel-generator.ts', import.meta.url));
// An absolute loader URL: `--import tsx` would resolve from wherever prisma runs the generator.
const tsxLoader = (() => {
  const manifest = require.resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': string } }).exports['.'];
  return pathToFileURL(join(dirname(manifest), entry)).href;
})();

export interface GenerateOptions {
  /** The user's schema. @default prisma/schema.prisma */
  schemaPath: string;
  /** Where per-provider clients go (`<outDir>/<provider>/`). @default src/generated */
  outDir: string;
}

export interface GenerateResult {
  provider: Provider;
  ok: boolean;
  /** Prisma's message when generation failed (e.g. a native type the provider lacks). */
  error?: string;
}

/** The provider a schema's `datasource` block declares. */
export function declaredProvider(schema: string): Provider {
  const match = /datasource\s+\w+\s*{[^}]*provider\s*=\s*"(\w+)"/.exec(schema);
  const provider = match?.[1] === 'postgres' ? 'postgresql' : match?.[1];
  if (!providers.includes(provider as Provider)) {
    throw new Error(`schema.prisma: datasource provider must be "sqlite" or "postgresql", got "${match?.[1] ?? 'none'}"`);
  }
  return provider as Provider;
}

/**
 * The user's schema rewritten for one provider: its own generator blocks replaced by Cairn's
 * (Prisma client + datamodel.json), the datasource provider set. On PostgreSQL the client loads
 * relations with JOINs (`relationJoins`): a nested selection is one SQL statement. Line numbers of the models are
 * kept (generators are replaced by blank lines, Cairn's are appended) so Prisma's errors point
 * at the user's file.
 */
export function schemaForProvider(schema: string, provider: Provider, outDir: string): string {
  const withoutGenerators = schema.replace(/^generator\s+\w+\s*{[^}]*}/gm, (block) => block.replace(/[^\n]/g, ''));
  const withProvider = withoutGenerators.replace(
    /(datasource\s+\w+\s*{[^}]*provider\s*=\s*)"\w+"/,
    `$1"${provider}"`,
  );
  return `${withProvider}
generator client {
  provider = "prisma-client"
  output   = ${JSON.stringify(join(outDir, 'client'))}${provider === 'postgresql' ? '\n  previewFeatures = ["relationJoins"]' : ''}
}
generator cairn {
  provider = ${JSON.stringify(`node --import ${tsxLoader} ${datamodelGenerator}`)}
  output   = ${JSON.stringify(join(outDir, 'datamodel.json'))}
}
`;
}

/**
 * Runs `prisma generate` once per provider. The declared provider must succeed; the other one is
 * best-effort (a schema with provider-specific types or scalar lists only runs where it can).
 */
export async function generateClients(options: GenerateOptions): Promise<GenerateResult[]> {
  const schemaPath = resolve(options.schemaPath);
  const schema = readFileSync(schemaPath, 'utf8');
  assertBlocksClosed(schema, schemaPath);
  const declared = declaredProvider(schema);
  const results: GenerateResult[] = [];
  for (const provider of [declared, ...providers.filter((p) => p !== declared)]) {
    const outDir = resolve(options.outDir, provider);
    // Generated beside the last good client and swapped in only on success: a schema error
    // leaves the previous client serving (and loadable).
    const staging = resolve(options.outDir, `.staging-${provider}-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    // The client is ESM TypeScript; say so, wherever the output lives (tsx would load it as CommonJS).
    writeFileSync(join(staging, 'package.json'), '{ "type": "module" }\n');
    const stagingSchema = join(staging, 'schema.prisma');
    writeFileSync(stagingSchema, schemaForProvider(schema, provider, staging));
    const error = await runPrismaGenerate(stagingSchema, schemaPath);
    if (error) {
      rmSync(staging, { recursive: true, force: true });
      if (provider === declared) throw new SchemaError(error);
      rmSync(outDir, { recursive: true, force: true }); // a stale client for the other provider would mislead
    } else {
      writeBuildStamp(staging, schemaPath, schema);
      rmSync(outDir, { recursive: true, force: true });
      renameSync(staging, outDir);
      // The provider schema is the schema engine's input and names its outputs: point them at the final folder.
      writeFileSync(join(outDir, 'schema.prisma'), schemaForProvider(schema, provider, outDir));
    }
    results.push({ provider, ok: !error, error });
  }
  linkPrismaRuntime(resolve(options.outDir));
  return results;
}

/**
 * The generated client imports `@prisma/client/runtime/…`. An app outside this checkout (a
 * `file:` dependency on Cairn is a symlink, so Cairn's dependencies are not installed in the app)
 * cannot resolve it, or would find another copy: `<outDir>/node_modules/@prisma/client` points
 * at the runtime Cairn itself uses.
 */
function linkPrismaRuntime(outDir: string): void {
  const ours = realpathSync(dirname(require.resolve('@prisma/client/package.json')));
  const link = join(outDir, 'node_modules', '@prisma', 'client');
  try {
    const found = createRequire(join(outDir, 'sqlite', 'index.js')).resolve('@prisma/client/package.json');
    if (realpathSync(dirname(found)) === ours) return;
  } catch {
    // not resolvable from the output: link it
  }
  rmSync(link, { recursive: true, force: true });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(ours, link, 'junction');
}

/** Prisma's CLI insists a schema-engine binary exists even though generate never runs it. */
function schemaEngineEnv(): Record<string, string> {
  if (process.env.PRISMA_SCHEMA_ENGINE_BINARY) return {};
  const enginesDir = dirname(require.resolve('@prisma/engines/package.json'));
  if (readdirSync(enginesDir).some((f) => f.startsWith('schema-engine'))) return {};
  const placeholder = join(enginesDir, 'cairn-placeholder-schema-engine');
  if (!existsSync(placeholder)) writeFileSync(placeholder, '');
  return { PRISMA_SCHEMA_ENGINE_BINARY: placeholder };
}

function runPrismaGenerate(providerSchema: string, userSchemaPath: string): Promise<string | undefined> {
  const cli = require.resolve('prisma/build/index.js');
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [cli, 'generate', '--schema', providerSchema, '--no-hints'], {
      env: { ...process.env, ...schemaEngineEnv(), PRISMA_HIDE_UPDATE_MESSAGE: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolvePromise(code === 0 ? undefined : formatPrismaError(output, providerSchema, userSchemaPath)));
  });
}
