import { createViewerResolver } from '../lib/auth/createViewerResolver.ts';
import { subgraphUrls, type Config } from '../lib/config.ts';
import { startHttpService, type HttpService } from '../lib/http/startHttpService.ts';
import type { Logger } from '../lib/logger.ts';
import { composeSupergraph } from './composeSupergraph.ts';
import { createRouterServer } from './createRouterServer.ts';
import { explorerAsset } from './explorer.ts';
import { watchSupergraph } from './watchSupergraph.ts';
import type { RouterContext } from './RouterContext.ts';

/**
 * Starts the router on a supergraph: the one given (a file written by `npm run compose`), or one
 * composed now from the subgraph SDL files and the subgraph URLs in the config.
 */
export async function startRouter(config: Config, log: Logger, supergraphSdl?: string): Promise<HttpService> {
  const sdl =
    supergraphSdl ??
    (config.watchSchemas ? watchSupergraph(subgraphUrls(config), log) : composeSupergraph(subgraphUrls(config)).supergraphSdl);
  const viewerOf = createViewerResolver(config.auth.tokenSecret);
  const http = await startHttpService<RouterContext>({
    apollo: createRouterServer({ supergraphSdl: sdl, config, log }),
    log,
    host: config.host,
    port: config.router.port,
    maxBodyBytes: config.limits.maxRequestBytes,
    cors: true,
    async context({ requestId, headers }) {
      return { requestId, viewer: await viewerOf(headers.get('authorization')) };
    },
    // Apollo Server starts only once the gateway has loaded and validated the supergraph.
    readiness: async () => ({ ready: true, checks: { supergraph: 'loaded' } }),
    ...(config.environment === 'production' ? {} : { staticPages: explorerAsset }),
  });
  log.info({ url: http.url }, 'router ready');
  return http;
}
