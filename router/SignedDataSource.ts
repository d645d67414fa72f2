import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ErrorCode, ShopError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import {
  createSignedPost,
  parseGraphQLResponse,
  SubgraphTimeoutError,
  type SubgraphHttpResponse,
} from '../lib/subgraph/signedPost.ts';
import type { RouterContext } from './RouterContext.ts';

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource<RouterContext>['process']>>;

/**
 * How the router calls a subgraph: with the request id and the verified viewer, the body signed
 * with the subgraph secret, and a timeout, so one stalled subgraph yields errors for the fields it
 * owns instead of a hung request.
 */
export class SignedDataSource implements GraphQLDataSource<RouterContext> {
  private readonly post: ReturnType<typeof createSignedPost>;

  constructor(
    private readonly subgraph: string,
    private readonly url: string,
    private readonly options: { secret: string; timeoutMs: number; log: Logger },
  ) {
    this.post = createSignedPost(options);
  }

  async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<SubgraphResponse> {
    const { query, variables, operationName } = options.request;
    // Only an operation a client sent has a request id and viewer to pass on (not a health check).
    const context = 'incomingRequestContext' in options ? options.context : null;
    const requestId = context?.requestId ?? '';
    let response: SubgraphHttpResponse;
    try {
      response = await this.post(this.url, {
        requestId,
        viewer: context?.viewer ?? null,
        body: JSON.stringify({ query, variables, operationName }),
      });
    } catch (error) {
      throw this.unavailable(requestId, error as Error);
    }
    if (response.status < 200 || response.status > 299) {
      throw this.unavailable(requestId, new Error(`HTTP ${response.status}: ${response.body.slice(0, 500)}`));
    }
    const result = parseGraphQLResponse(response.body);
    if (!result) throw this.unavailable(requestId, new Error(`not a GraphQL response: ${response.body.slice(0, 500)}`));
    return result as SubgraphResponse;
  }

  /**
   * A subgraph that cannot be reached, times out or answers with an HTTP error becomes
   * SERVICE_UNAVAILABLE on the fields it owns; its URL and response stay in the log.
   */
  private unavailable(requestId: string, error: Error): ShopError {
    const timedOut = error instanceof SubgraphTimeoutError;
    this.options.log.warn(
      { subgraph: this.subgraph, url: this.url, requestId, err: error },
      timedOut ? `${this.subgraph} did not answer within ${this.options.timeoutMs} ms` : `${this.subgraph} call failed`,
    );
    return new ShopError(
      ErrorCode.SERVICE_UNAVAILABLE,
      timedOut ? `The ${this.subgraph} service did not answer in time.` : `The ${this.subgraph} service is unavailable.`,
    );
  }
}
