import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * GraphiQL served from the router's own installed packages, at /explorer: an explorer that works
 * with no network (Apollo Sandbox, the landing page at /, loads from Apollo's CDN). Development
 * only, like the landing page. `?query=` and `?headers=` prefill the editors.
 */

export const EXPLORER_PATH = '/explorer';

export interface StaticAsset {
  contentType: string;
  body: string;
}

const require = createRequire(import.meta.url);
const assets: Record<string, { module: string; contentType: string }> = {
  'react.production.min.js': { module: 'react/umd/react.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { module: 'react-dom/umd/react-dom.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.min.js': { module: 'graphiql/graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { module: 'graphiql/graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

const DEFAULT_QUERY = `# Log in as a sample member, put the token in Headers as
# {"Authorization": "Bearer <token>"}, then run MyPurchases.
mutation LogIn {
  login(username: "ada", password: "analytical-engine") { token }
}

query MyPurchases {
  me {
    username
    purchases { nodes { quantity member { username } product { name price } } }
  }
}
`;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Federated shop · GraphiQL</title>
<link rel="stylesheet" href="${EXPLORER_PATH}/graphiql.min.css">
<style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${EXPLORER_PATH}/react.production.min.js"></script>
<script src="${EXPLORER_PATH}/react-dom.production.min.js"></script>
<script src="${EXPLORER_PATH}/graphiql.min.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const fetcher = GraphiQL.createFetcher({ url: new URL('/', location.href).href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: params.get('query') || ${JSON.stringify(DEFAULT_QUERY)},
      defaultHeaders: params.get('headers') || undefined,
      defaultEditorToolsVisibility: params.has('headers') ? 'headers' : undefined,
    }),
  );
</script>
</body>
</html>
`;

const cache = new Map<string, StaticAsset>();

/** The page or one of its assets for a path under /explorer, or undefined. */
export function explorerAsset(path: string): StaticAsset | undefined {
  if (path === EXPLORER_PATH || path === `${EXPLORER_PATH}/`) return { contentType: 'text/html; charset=utf-8', body: page };
  const name = path.startsWith(`${EXPLORER_PATH}/`) ? path.slice(EXPLORER_PATH.length + 1) : '';
  const asset = assets[name];
  if (!asset) return undefined;
  let loaded = cache.get(name);
  if (!loaded) cache.set(name, (loaded = { contentType: asset.contentType, body: readFileSync(require.resolve(asset.module), 'utf8') }));
  return loaded;
}
