import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { encodeBody, pickEncoding, type Encoding } from './encode-body.ts';

/** What yoga passes its GraphiQL renderer (its `graphiql` options). */
export interface GraphiQLPageOptions {
  title?: string;
  /** The query the editor opens with. */
  defaultQuery?: string;
  endpoint?: string;
}

/** Where the assets live; their names carry a content hash, so they are cached for good. */
const base = '/graphiql/';

interface Asset {
  type: string;
  body: Uint8Array;
  etag: string;
  /** Compressed once, on first request, per encoding. */
  encoded: Map<Encoding, Promise<Uint8Array>>;
}

interface Assets {
  /** By path, e.g. `/graphiql/app.3f2a9c01b2d4.js`. */
  files: Map<string, Asset>;
  page: (options: GraphiQLPageOptions) => string;
}

let loaded: Promise<Assets> | undefined;

/** The GraphiQL page (about 2 KB) that loads the asset files; yoga's `renderGraphiQL`. */
export const renderGraphiQLPage = async (options: GraphiQLPageOptions = {}): Promise<string> => (await (loaded ??= loadAssets())).page(options);

/**
 * GraphiQL as a small page plus separate files, instead of yoga's one 9 MB page with everything
 * inline (sent uncompressed and uncached on every load): the script, the stylesheet and the three
 * Monaco workers from @graphql-yoga/render-graphiql (installed, so it works offline) are served
 * at content-hashed URLs with `Cache-Control: immutable`, an ETag, and brotli or gzip encoding
 * (compressed once). The page is `renderGraphiQLPage`, yoga's GraphiQL renderer.
 */
export function useGraphiQLAssets(): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || !url.pathname.startsWith(base)) return;
      const assets = await (loaded ??= loadAssets());
      const asset = assets.files.get(url.pathname);
      if (!asset) return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      const headers: Record<string, string> = {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        etag: asset.etag,
        vary: 'Accept-Encoding',
      };
      if (request.headers.get('if-none-match') === asset.etag) return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      const encoding = pickEncoding(request.headers.get('accept-encoding'));
      let body = asset.body;
      if (encoding) {
        if (!asset.encoded.has(encoding)) asset.encoded.set(encoding, encodeBody(asset.body, encoding, 'max').then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
        body = await asset.encoded.get(encoding)!;
        headers['content-encoding'] = encoding;
      }
      headers['content-length'] = String(body.byteLength);
      return endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { headers }));
    },
  };
}

async function loadAssets(): Promise<Assets> {
  const ui = (await import('@graphql-yoga/render-graphiql/graphiql')) as Record<'css' | 'js' | 'favicon' | 'editorWorkerService' | 'jsonWorker' | 'graphqlWorker', string>;
  const files = new Map<string, Asset>();
  const types = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', ico: 'image/x-icon' };
  const add = (name: string, ext: keyof typeof types, content: string | Uint8Array) => {
    const body = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const path = `${base}${name}.${hash}.${ext}`;
    files.set(path, { type: types[ext], body, etag: `"${hash}"`, encoded: new Map() });
    return path;
  };
  // A 150 KB data: URL in the page otherwise.
  const favicon = ui.favicon.startsWith('data:image/x-icon;base64,')
    ? add('favicon', 'ico', Buffer.from(ui.favicon.slice(ui.favicon.indexOf(',') + 1), 'base64'))
    : ui.favicon;
  const css = add('graphiql', 'css', ui.css);
  const js = add('graphiql', 'js', ui.js);
  const workers = {
    editorWorkerService: add('editor.worker', 'js', ui.editorWorkerService),
    json: add('json.worker', 'js', ui.jsonWorker),
    graphql: add('graphql.worker', 'js', ui.graphqlWorker),
  };
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  // JSON inside <script>: `</script>` in a query string must not end the element.
  const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return {
    files,
    page: ({ title = 'GraphiQL', defaultQuery, endpoint = '/graphql' }) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escape(title)}</title>
    <link rel="icon" href="${escape(favicon)}" />
    <link rel="stylesheet" href="${css}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => new URL(workers[label], location.href).href };
    </script>
    <script src="${js}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson({ title, defaultQuery, endpoint })});
    </script>
  </body>
</html>
`,
  };
}
