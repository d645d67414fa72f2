import { verifyMemberToken } from '../lib/auth/memberToken.ts';
import { subgraphUrls, type Config } from '../lib/config.ts';
import { HttpError } from '../lib/http/HttpError.ts';
import { startHttpService, type HttpService } from '../lib/http/startHttpService.ts';
import type { Logger } from '../lib/logger.ts';
import { composeSupergraph } from './composeSupergraph.ts';
import { createRouterServer } from './createRouterServer.ts';
import type { RouterContext } from './RouterContext.ts';

/**
 * Starts the router on a supergraph: the one given (a file written by `npm run compose`), or one
 * composed now from the subgraph SDL files and the subgraph URLs in the config.
 */
export async function startRouter(config: Config, log: Logger, supergraphSdl?: string): Promise<HttpService> {
  const sdl = supergraphSdl ?? composeSupergraph(subgraphUrls(config)).supergraphSdl;
  const http = await startHttpService<RouterContext>({
    apollo: createRouterServer({ supergraphSdl: sdl, config, log }),
    log,
    host: config.host,
    port: config.router.port,
    maxBodyBytes: config.limits.maxRequestBytes,
    cors: true,
    async context({ requestId, headers }) {
      return { requestId, viewer: await viewerOf(headers.get('authorization'), config.auth.tokenSecret) };
    },
    // Apollo Server starts only once the gateway has loaded and validated the supergraph.
    readiness: async () => ({ ready: true, checks: { supergraph: 'loaded' } }),
  });
  log.info({ url: http.url }, 'router ready');
  return http;
}

/** No header means anonymous; a header that does not hold a valid token is refused outright. */
async function viewerOf(authorization: string | undefined, secret: string) {
  if (authorization === undefined || authorization === '') return null;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (!token) throw new HttpError(401, 'UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
  const verdict = await verifyMemberToken(token, secret);
  if (!verdict.ok) {
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      verdict.reason === 'expired' ? 'Your token expired; log in again.' : 'The token is not valid; log in again.',
    );
  }
  return verdict.viewer;
}
