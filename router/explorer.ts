import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
const JS = 'text/javascript; charset=utf-8';
/** Files inside installed packages, outside what their `exports` expose. */
const assets: Record<string, { packageName: string; file: string; contentType: string }> = {
  'react.production.min.js': { packageName: 'react', file: 'umd/react.production.min.js', contentType: JS },
  'react-dom.production.min.js': { packageName: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS },
  'graphiql.min.js': { packageName: 'graphiql', file: 'graphiql.min.js', contentType: JS },
  'graphiql.min.css': { packageName: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
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
  if (!loaded) {
    const packageDir = dirname(require.resolve(`${asset.packageName}/package.json`));
    loaded = { contentType: asset.contentType, body: readFileSync(join(packageDir, asset.file), 'utf8') };
    cache.set(name, loaded);
  }
  return loaded;
}
