import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SubgraphHeader } from '../lib/auth/subgraphSignature.ts';
import { ErrorCode, ShopError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { requestScope } from '../lib/requestScope.ts';
import { createSignedFetch } from '../lib/subgraph/signedFetch.ts';
import type { RouterContext } from './RouterContext.ts';

/**
 * How the router calls a subgraph: with the request id and the verified viewer in headers, the
 * body signed with the subgraph secret, and a timeout, so one stalled subgraph yields errors for
 * the fields it owns instead of a hung request.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly options: { secret: string; timeoutMs: number; log: Logger },
  ) {
    super({ url, fetcher: createSignedFetch(options) });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers || !context.requestId) return;
    headers.set(SubgraphHeader.requestId, context.requestId);
    headers.set(SubgraphHeader.viewer, context.viewer ? `${context.viewer.memberId} ${context.viewer.role}` : '');
  }

  /**
   * A subgraph that cannot be reached, times out or answers with an HTTP error becomes
   * SERVICE_UNAVAILABLE on the fields it owns; its URL and response stay in the log.
   */
  override didEncounterError(error: Error): never {
    const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
    this.options.log.warn(
      { subgraph: this.subgraph, requestId: requestScope.getStore()?.requestId, err: error },
      timedOut ? `${this.subgraph} did not answer within ${this.options.timeoutMs} ms` : `${this.subgraph} call failed`,
    );
    throw new ShopError(
      ErrorCode.SERVICE_UNAVAILABLE,
      timedOut ? `The ${this.subgraph} service did not answer in time.` : `The ${this.subgraph} service is unavailable.`,
    );
  }
}
