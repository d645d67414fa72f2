import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { Environment } from '../config.ts';
import { maskErrors } from '../graphql/maskErrors.ts';
import { requestScopePlugin } from '../graphql/requestScopePlugin.ts';
import type { Logger } from '../logger.ts';
import type { SubgraphContext, SubgraphDefinition } from './SubgraphDefinition.ts';

/** The Apollo Server of one subgraph; tests call executeOperation on the same object production serves. */
export function createSubgraphServer(
  definition: SubgraphDefinition,
  options: { log: Logger; environment: Environment },
): ApolloServer<SubgraphContext<unknown>> {
  const production = options.environment === 'production';
  return new ApolloServer<SubgraphContext<unknown>>({
    schema: definition.schema,
    logger: options.log,
    formatError: maskErrors({ log: options.log, trustCatalogueCodes: false }),
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (lib/process/runService.ts): drain first, then close the database.
    stopOnTerminationSignals: false,
    hideSchemaDetailsFromClientErrors: production,
    introspection: !production,
    plugins: [
      requestScopePlugin,
      // Only the router (with the subgraph secret) talks to a subgraph: no explorer to offer here.
      ApolloServerPluginLandingPageDisabled(),
      // Federated traces feed Apollo GraphOS usage reporting, which this project does not use.
      ApolloServerPluginInlineTraceDisabled(),
      // The schemas give no cache hints, yet the plugin wraps every resolver to look for them: with
      // 50 entities per request that was a few percent of a subgraph's CPU (bench/findings.md).
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
}
