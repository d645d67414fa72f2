import type { Config } from '../config.ts';
import { ErrorCode, isErrorCode, ShopError } from '../errors.ts';
import type { SubgraphName } from '../../subgraphs/index.ts';
import { createSignedPost, parseGraphQLResponse, type SubgraphHttpResponse } from './signedPost.ts';
import type { CallerIdentity, SubgraphCaller } from './SubgraphCaller.ts';

/**
 * How one subgraph asks another for data it does not own (purchases asks products to take stock,
 * and members whether a buyer still exists): a signed GraphQL request with the caller's request id,
 * so the call shows under the same id in the other service's log.
 */
export class SubgraphClient implements SubgraphCaller {
  private readonly posts: Record<SubgraphName, ReturnType<typeof createSignedPost>>;

  constructor(private readonly config: Pick<Config, 'subgraphs' | 'subgraphSecret'>) {
    this.posts = Object.fromEntries(
      Object.values(config.subgraphs).map(({ name, timeoutMs }) => [
        name,
        createSignedPost({ secret: config.subgraphSecret, timeoutMs }),
      ]),
    ) as Record<SubgraphName, ReturnType<typeof createSignedPost>>;
  }

  /**
   * Errors the other service meant for the client (NOT_FOUND, INSUFFICIENT_STOCK, …) are rethrown
   * as they are; a service that cannot be reached or fails becomes SERVICE_UNAVAILABLE, which is the
   * one outcome where the caller cannot know whether the call took effect.
   */
  async request<Data>(
    subgraph: SubgraphName,
    query: string,
    variables: Record<string, unknown>,
    caller: CallerIdentity,
  ): Promise<Data> {
    let response: SubgraphHttpResponse;
    try {
      response = await this.posts[subgraph](this.config.subgraphs[subgraph].url, {
        ...caller,
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw unavailable(subgraph, error);
    }
    const body = parseGraphQLResponse<Data>(response.body);
    const firstError = body?.errors?.[0];
    if (firstError) {
      const code = firstError.extensions?.['code'];
      if (isErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR && code !== ErrorCode.SERVICE_UNAVAILABLE) {
        const reason = firstError.extensions?.['reason'];
        throw new ShopError(code, firstError.message, typeof reason === 'string' ? { reason } : {});
      }
      throw unavailable(subgraph, new Error(`${code ?? 'no code'}: ${firstError.message}`));
    }
    if (response.status < 200 || response.status > 299 || body?.data == null) {
      throw unavailable(subgraph, new Error(`HTTP ${response.status}`));
    }
    return body.data;
  }
}

export class ServiceUnavailableError extends ShopError {
  constructor(subgraph: SubgraphName, cause: unknown) {
    super(ErrorCode.SERVICE_UNAVAILABLE, `The ${subgraph} service did not answer; retrying is safe.`);
    this.cause = cause;
  }
}

function unavailable(subgraph: SubgraphName, cause: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError(subgraph, cause);
}
