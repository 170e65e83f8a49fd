/**
 * The path of a request URL (`http://host/graphql?x` → `/graphql`) without building a URL object:
 * the per-request hooks only compare it with a few fixed paths, and `new URL` (or yoga's lazy
 * `url`, or a URLPattern) costs more than the rest of such a hook.
 */
export function requestPath(url: string): string {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return '/';
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  return url.slice(start, end);
}
