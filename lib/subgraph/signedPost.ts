import { Agent, request, type IncomingMessage } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { signSubgraphRequest, type SignedCall } from '../auth/subgraphSignature.ts';

export interface SignedPostOptions {
  secret: string;
  timeoutMs: number;
}

/** What a subgraph answered: the HTTP status and the body as text. */
export interface SubgraphHttpResponse {
  status: number;
  body: string;
}

/** A subgraph's answer as GraphQL over HTTP defines it. */
export interface GraphQLResponseBody<Data> {
  data?: Data | null;
  errors?: GraphQLFormattedError[];
}

/** The body of a subgraph's answer as a GraphQL response, or null when it is not a JSON object. */
export function parseGraphQLResponse<Data>(body: string): GraphQLResponseBody<Data> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as GraphQLResponseBody<Data>) : null;
}

/** The error a call ends with when the subgraph has not answered within `timeoutMs`. */
export class SubgraphTimeoutError extends Error {
  override readonly name = 'SubgraphTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * One pool of kept-alive connections for every call between services. An idle socket is closed
 * after 30 s, well before a subgraph's own 65 s keep-alive timeout would close it from the other
 * side, so no request is ever written to a socket that is being closed.
 */
const keepAliveAgent = new Agent({ keepAlive: true, timeout: 30_000 });

/**
 * POSTs a GraphQL request to a subgraph: the body signed with the subgraph secret, together with
 * the request id and the viewer, and given up after `timeoutMs`. Node's own HTTP client over
 * kept-alive sockets: under load, `fetch` (undici's web streams, Request and Response objects and
 * a transferable AbortSignal per call) cost the router more CPU per request than its planning
 * and result merging together (bench/findings.md).
 */
export function createSignedPost({ secret, timeoutMs }: SignedPostOptions) {
  return (url: string, call: SignedCall & { body: string }): Promise<SubgraphHttpResponse> =>
    new Promise((resolve, reject) => {
      const body = Buffer.from(call.body, 'utf8');
      const outgoing = request(url, {
        method: 'POST',
        agent: keepAliveAgent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          ...signSubgraphRequest(call, secret),
        },
      });
      // A promise settles once: whatever the destroyed socket reports after a timeout is ignored.
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(new SubgraphTimeoutError(timeoutMs));
        outgoing.destroy();
      }, timeoutMs);
      outgoing.on('error', fail);
      outgoing.on('response', (incoming: IncomingMessage) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', fail);
        incoming.on('end', () => {
          clearTimeout(timer);
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      outgoing.end(body);
    });
}
