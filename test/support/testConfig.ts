import { loadConfig, type Config } from '../../lib/config.ts';
import type { SubgraphName } from '../../subgraphs/index.ts';

/** The configuration a test runs with: every port chosen by the OS, nothing seeded, logs off. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    ROUTER_PORT: '0',
    MEMBERS_PORT: '0',
    PRODUCTS_PORT: '0',
    PURCHASES_PORT: '0',
    ...env,
  });
}

/** The same config, telling everyone where a subgraph started on a port the OS picked. */
export function withSubgraphUrl(config: Config, name: SubgraphName, url: string): Config {
  return { ...config, subgraphs: { ...config.subgraphs, [name]: { ...config.subgraphs[name], url } } };
}
