import { signSubgraphRequest, SubgraphHeader } from '../auth/subgraphSignature.ts';
import { isRole } from '../auth/Viewer.ts';

export interface SignedFetchOptions {
  secret: string;
  timeoutMs: number;
}

export interface SignedFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * `fetch` for calls to a subgraph: signs the body with the subgraph secret (the caller has put the
 * request id and viewer in the headers) and gives up after `timeoutMs`, so a stalled subgraph costs
 * a bounded wait and an error instead of a hung request. Connections are kept alive by undici.
 */
export function createSignedFetch({ secret, timeoutMs }: SignedFetchOptions) {
  return (url: string, init: SignedFetchInit = {}): Promise<Response> => {
    const headers = { ...init.headers };
    const requestId = headers[SubgraphHeader.requestId] ?? '';
    const [memberId, role] = (headers[SubgraphHeader.viewer] ?? '').split(' ');
    const viewer = memberId && isRole(role) ? { memberId, role } : null;
    Object.assign(headers, signSubgraphRequest({ requestId, viewer, body: init.body ?? '' }, secret));
    return fetch(url, {
      method: init.method ?? 'POST',
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  };
}
