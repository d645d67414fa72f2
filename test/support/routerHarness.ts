import type { Config } from '../../lib/config.ts';
import type { HttpService } from '../../lib/http/startHttpService.ts';
import { createLogger } from '../../lib/logger.ts';
import { startRouter } from '../../router/startRouter.ts';
import { subgraphNames, type SubgraphName } from '../../subgraphs/index.ts';
import { startSubgraphOverHttp, type RunningSubgraph } from './subgraphHarness.ts';
import type { DatabaseKind } from './testDatabase.ts';
import { testConfig, withSubgraphUrl } from './testConfig.ts';

export interface RouterUnderTest {
  url: string;
  config: Config;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** The three subgraphs over HTTP on fresh databases, and the router in this process in front of them. */
export async function startRouterUnderTest(kind: DatabaseKind, env: Record<string, string> = {}): Promise<RouterUnderTest> {
  // purchases calls members and products, so it starts once their URLs are known.
  const [members, products] = await Promise.all([startSubgraphOverHttp('members', kind, env), startSubgraphOverHttp('products', kind, env)]);
  const purchases = await startSubgraphOverHttp('purchases', kind, { ...env, MEMBERS_URL: members.url, PRODUCTS_URL: products.url });
  const subgraphs: Record<SubgraphName, RunningSubgraph> = { members, products, purchases };
  const running = Object.values(subgraphs);
  let config = testConfig(env);
  for (const name of subgraphNames) config = withSubgraphUrl(config, name, subgraphs[name].url);
  let router: HttpService;
  try {
    router = await startRouter(config, createLogger('router', 'silent'));
  } catch (error) {
    await Promise.all(running.map((subgraph) => subgraph.stop()));
    throw error;
  }
  return {
    url: router.url,
    config,
    subgraphs,
    post: (body, headers = {}) =>
      fetch(router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async close() {
      await router.stop();
      await Promise.all(running.map((subgraph) => subgraph.stop()));
    },
  };
}
