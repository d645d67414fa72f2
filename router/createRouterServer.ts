import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Config } from '../lib/config.ts';
import { maskErrors } from '../lib/graphql/maskErrors.ts';
import { requestScopePlugin } from '../lib/graphql/requestScopePlugin.ts';
import type { Logger } from '../lib/logger.ts';
import { isSubgraphName } from '../subgraphs/index.ts';
import type { RouterContext } from './RouterContext.ts';
import { queryCostPlugin, queryLimitRules } from './queryLimits.ts';
import { SignedDataSource } from './SignedDataSource.ts';
import type { watchSupergraph } from './watchSupergraph.ts';

/**
 * The router: Apollo Gateway inside Apollo Server, planning each query over the subgraphs of a
 * statically composed supergraph. In development its landing page is Apollo Sandbox.
 */
export function createRouterServer(options: {
  /** The supergraph, or a source that provides it and its later versions (npm run dev). */
  supergraphSdl: string | ReturnType<typeof watchSupergraph>;
  config: Pick<Config, 'environment' | 'subgraphSecret' | 'subgraphs' | 'limits'>;
  log: Logger;
}): ApolloServer<RouterContext> {
  const { config, log } = options;
  const production = config.environment === 'production';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: log,
    buildService: ({ name, url }) => {
      if (!url) throw new Error(`The supergraph gives no URL for subgraph ${name}`);
      if (!isSubgraphName(name)) throw new Error(`The supergraph names a subgraph this router does not know: ${name}`);
      return new SignedDataSource(name, url, { secret: config.subgraphSecret, timeoutMs: config.subgraphs[name].timeoutMs, log });
    },
  });
  return new ApolloServer<RouterContext>({
    gateway,
    logger: log,
    formatError: maskErrors({ log, trustCatalogueCodes: true }),
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (lib/process/runService.ts): drain first, then close the database.
    stopOnTerminationSignals: false,
    hideSchemaDetailsFromClientErrors: production,
    introspection: !production,
    // Stated although they are Apollo Server's defaults: a public API depends on both.
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: queryLimitRules(config.limits),
    plugins: [
      requestScopePlugin,
      queryCostPlugin(config.limits),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
  });
}
