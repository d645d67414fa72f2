import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySubgraphRequest } from '../../lib/auth/subgraphSignature.ts';
import { createSignedPost, SubgraphTimeoutError } from '../../lib/subgraph/signedPost.ts';

const secret = 'subgraph-secret-for-tests-0123456789';
const viewer = { memberId: '01930000-0000-7000-8000-000000000002', role: 'CUSTOMER' as const };
let server: Server | undefined;

/** A stand-in subgraph on a free port: answers every request with what `answer` does. */
async function listen(answer: (request: IncomingMessage, body: string, response: ServerResponse) => void) {
  const connections: unknown[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => answer(request, body, response));
  });
  server.on('connection', (socket) => connections.push(socket));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, connections };
}

afterEach(async () => {
  const open = server;
  server = undefined;
  if (!open) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

describe('signed calls to a subgraph', () => {
  it('carry a signature over the request id, the viewer and the body', async () => {
    const { url } = await listen((request, body, response) => {
      const headers = new HeaderMap(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      response.end(JSON.stringify({ verdict: verifySubgraphRequest(headers, body, secret), requestId: headers.get('x-request-id') }));
    });
    const post = createSignedPost({ secret, timeoutMs: 2000 });
    const answer = await post(url, { requestId: 'req-7', viewer, body: '{"query":"{ me { id } }"}' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ verdict: { ok: true, viewer }, requestId: 'req-7' });
  });

  it('reuse one kept-alive connection for calls one after another', async () => {
    const { url, connections } = await listen((_request, _body, response) => response.end('{"data":{}}'));
    const post = createSignedPost({ secret, timeoutMs: 2000 });
    for (let call = 0; call < 3; call++) await post(url, { requestId: `req-${call}`, viewer: null, body: '{}' });
    expect(connections).toHaveLength(1);
  });

  it('return an HTTP error status with its body instead of throwing', async () => {
    const { url } = await listen((_request, _body, response) => {
      response.statusCode = 503;
      response.end('draining');
    });
    const post = createSignedPost({ secret, timeoutMs: 2000 });
    expect(await post(url, { requestId: 'req-8', viewer: null, body: '{}' })).toEqual({ status: 503, body: 'draining' });
  });

  it('give up with SubgraphTimeoutError when the subgraph does not answer in time', async () => {
    const { url } = await listen(() => {});
    const post = createSignedPost({ secret, timeoutMs: 100 });
    const started = performance.now();
    const failure = await post(url, { requestId: 'req-9', viewer: null, body: '{}' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SubgraphTimeoutError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('fail when nothing listens at the address', async () => {
    const { url } = await listen(() => {});
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const post = createSignedPost({ secret, timeoutMs: 2000 });
    await expect(post(url, { requestId: 'req-10', viewer: null, body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
