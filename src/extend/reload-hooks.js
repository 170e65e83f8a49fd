// Module resolve hook for `cairn dev` (plain JS: it runs in Node's hooks thread, before any
// TypeScript loader applies there). ES modules are cached by URL for the life of the process, so
// a reload imports the functions entry with a `?cairn-reload=N` query; this hook passes that query
// on to every file the entry imports, directly or not, inside the functions folder — so an edit to
// a helper beside index.ts is picked up too. Files outside it (node_modules, Cairn itself) keep
// their one cached copy, so `instanceof` and module state across the app stay intact.

/** @type {string[]} */
const roots = [];

/** @param {{ root: string }} data the functions folder, as a file: URL ending in "/" */
export function initialize(data) {
  roots.push(data.root);
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: object) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (!context.parentURL?.startsWith('file:') || !result.url.startsWith('file:')) return result;
  const version = new URL(context.parentURL).searchParams.get('cairn-reload');
  if (version === null) return result;
  const url = new URL(result.url);
  const path = url.href.slice(0, url.href.length - url.search.length - url.hash.length);
  if (!roots.some((root) => path.startsWith(root)) || path.includes('/node_modules/')) return result;
  url.searchParams.set('cairn-reload', version);
  return { ...result, url: url.href };
}
