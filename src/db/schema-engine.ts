import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);

/** The wasm build of Prisma's schema engine, instantiated once per process. */
let bindings: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;

function loadBindings() {
  bindings ??= (async () => {
    // The package's ESM entry imports the .wasm file directly, which Node rejects; wire it by hand.
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasm = await readFile(bgPath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(wasm, { './schema_engine_bg.js': withUnrefTimers(bg) });
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= { set_message() {} };
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return bindings;
}

/**
 * The engine arms timers (e.g. a 10 s timeout around PostgreSQL's advisory lock) and never clears
 * them; unref'd, they no longer keep a finished CLI process alive for their full duration.
 */
function withUnrefTimers(bg: object): WebAssembly.ModuleImports {
  const imports = { ...bg } as WebAssembly.ModuleImports;
  for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  return imports;
}

/**
 * Opens Prisma's schema engine (wasm) on a datamodel and a migration-aware driver adapter.
 * The caller owns the returned engine and must `free()` it.
 */
export async function openSchemaEngine(
  datamodel: { path: string; content: string },
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  const bg = await loadBindings();
  return bg.SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
