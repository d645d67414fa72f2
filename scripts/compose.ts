import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigWith, projectRoot, subgraphUrls } from '../lib/config.ts';
import { composeSupergraph, CompositionError } from '../router/composeSupergraph.ts';

/**
 * `npm run compose [-- --out file] [--env-file file]`: composes the subgraph SDL files into the
 * supergraph SDL the router loads in production (SUPERGRAPH_FILE), with each subgraph's URL from
 * the configuration (MEMBERS_URL, …), optionally read from an env file such as
 * deploy/kubernetes/subgraphs.env.
 */

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'supergraph.graphql' },
    'env-file': { type: 'string' },
  },
});

try {
  const overrides = values['env-file'] ? parseEnvFile(resolve(projectRoot, values['env-file'])) : {};
  const config = loadConfigWith(overrides);
  const urls = subgraphUrls(config);
  const { supergraphSdl, hints } = composeSupergraph(urls);
  const out = resolve(projectRoot, values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, supergraphSdl);
  console.log(`Wrote ${out}`);
  for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(10)} ${url}`);
  for (const hint of hints) console.log(`hint ${hint.code}: ${hint.message}`);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof CompositionError)) throw error;
  console.error(error.message);
  process.exit(1);
}

function parseEnvFile(path: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined) entries[match[1]] = match[2].replace(/^["']|["']$/g, '');
  }
  return entries;
}
