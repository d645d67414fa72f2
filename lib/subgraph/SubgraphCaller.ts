import type { Viewer } from '../auth/Viewer.ts';
import type { SubgraphName } from '../../subgraphs/index.ts';

export interface CallerIdentity {
  requestId: string;
  viewer: Viewer | null;
}

/**
 * How a subgraph asks another for what it owns. Over HTTP in production (SubgraphClient); a
 * caller could also run the operation in-process, as the benchmark's single-process baseline does.
 * Errors meant for the client come back as ShopErrors with their code; an unreachable service as
 * SERVICE_UNAVAILABLE.
 */
export interface SubgraphCaller {
  request<Data>(subgraph: SubgraphName, query: string, variables: Record<string, unknown>, caller: CallerIdentity): Promise<Data>;
}
