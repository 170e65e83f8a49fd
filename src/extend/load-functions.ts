import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CairnFunctions } from './functions.ts';

const known = ['schema', 'jobs', 'schedules', 'routes', 'plugins', 'hooks', 'webhooks', 'notifications'];

/** Checks the shape of app code, naming the key and what arrived. */
export function validateFunctions(functions: unknown, source: string): CairnFunctions {
  if (!functions || typeof functions !== 'object') throw new Error(`${source}: expected \`export default defineFunctions({ … })\`, got ${functions === null ? 'null' : typeof functions}`);
  const unknown = Object.keys(functions).filter((key) => !known.includes(key));
  if (unknown.length) throw new Error(`${source}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${known.join(', ')})`);
  const f = functions as Record<string, unknown>;
  if (f.schema !== undefined && typeof f.schema !== 'function') throw new Error(`${source}: schema must be a function (builder, tools) => void, got ${typeof f.schema}`);
  for (const key of ['routes', 'plugins']) {
    if (f[key] !== undefined && !Array.isArray(f[key])) throw new Error(`${source}: ${key} must be an array, got ${typeof f[key]}`);
  }
  for (const key of ['jobs', 'schedules', 'hooks', 'webhooks', 'notifications']) {
    if (f[key] !== undefined && (typeof f[key] !== 'object' || f[key] === null || Array.isArray(f[key]))) throw new Error(`${source}: ${key} must be an object keyed by name`);
  }
  return functions as CairnFunctions;
}

/**
 * Imports the app's code (`CAIRN_FUNCTIONS`, default `functions/index.ts`) and returns its default
 * export; none when the file does not exist. `version` makes a reload import a fresh copy of the
 * entry file and of every file it imports from the entry's folder (`cairn dev`, see reload-hooks.js).
 */
export async function loadFunctions(path: string | null, version?: number): Promise<CairnFunctions> {
  if (!path || !existsSync(path)) return {};
  const url = pathToFileURL(path);
  if (version !== undefined) {
    registerReloadHooks(dirname(path));
    url.searchParams.set('cairn-reload', String(version));
  }
  const module = (await import(url.href)) as { default?: unknown };
  return validateFunctions(module.default, path);
}

const hooked = new Set<string>();

/** Once per folder and process: Node keeps hooks for the life of the process. */
function registerReloadHooks(folder: string): void {
  const root = pathToFileURL(folder).href.replace(/\/?$/, '/');
  if (hooked.has(root)) return;
  hooked.add(root);
  register(new URL('./reload-hooks.js', import.meta.url), { data: { root } });
}
