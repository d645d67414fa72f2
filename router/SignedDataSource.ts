import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SubgraphHeader } from '../lib/auth/subgraphSignature.ts';
import { createSignedFetch } from '../lib/subgraph/signedFetch.ts';
import type { RouterContext } from './RouterContext.ts';

/**
 * How the router calls a subgraph: with the request id and the verified viewer in headers, the
 * body signed with the subgraph secret, and a timeout, so one stalled subgraph yields errors for
 * the fields it owns instead of a hung request.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(url: string, options: { secret: string; timeoutMs: number }) {
    super({ url, fetcher: createSignedFetch(options) });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers || !context.requestId) return;
    headers.set(SubgraphHeader.requestId, context.requestId);
    headers.set(SubgraphHeader.viewer, context.viewer ? `${context.viewer.memberId} ${context.viewer.role}` : '');
  }
}
