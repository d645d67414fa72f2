import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMemberToken } from '../../lib/auth/memberToken.ts';
import { startRouterUnderTest, type RouterUnderTest } from '../support/routerHarness.ts';

type ErrorBody = { errors: Array<{ message: string; extensions: { code: string } }> };
const errorsOf = async (response: Response) => ((await response.json()) as ErrorBody).errors;

describe('router over HTTP', () => {
  let router: RouterUnderTest;
  beforeAll(async () => {
    router = await startRouterUnderTest('embedded');
  });
  afterAll(async () => {
    await router?.close();
  });

  it('answers liveness and readiness probes', async () => {
    const live = await fetch(new URL('/health/live', router.url));
    const ready = await fetch(new URL('/health/ready', router.url));
    expect([live.status, ready.status]).toEqual([200, 200]);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { supergraph: 'loaded' } });
  });

  it('echoes a client request id and makes one when none is given', async () => {
    const given = await router.post({ query: '{ __typename }' }, { 'x-request-id': 'client-id-123' });
    expect(given.headers.get('x-request-id')).toBe('client-id-123');
    const made = await router.post({ query: '{ __typename }' }, { 'x-request-id': 'spaces are not allowed' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets browsers on other origins call it (Apollo Sandbox, web clients)', async () => {
    const preflight = await fetch(router.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://studio.apollographql.com', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
  });

  it('refuses a body above its size limit with 413', async () => {
    const response = await router.post({ query: `{ __typename } # ${'x'.repeat(300 * 1024)}` });
    expect(response.status).toBe(413);
    expect((await errorsOf(response))[0]?.extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a body that is not JSON with 400', async () => {
    const response = await router.post('{"query": ');
    expect(response.status).toBe(400);
  });

  it('answers 404 off its GraphQL and health paths', async () => {
    expect((await fetch(new URL('/admin', router.url))).status).toBe(404);
  });

  it('refuses a malformed Authorization header and an expired token with 401', async () => {
    const malformed = await router.post({ query: '{ __typename }' }, { authorization: 'Token abc' });
    expect(malformed.status).toBe(401);
    const { token } = await signMemberToken({ memberId: '01930000-0000-7000-8000-000000000002', role: 'CUSTOMER' }, router.config.auth.tokenSecret, 60);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: 1 })).toString('base64url')}.${signature}`;
    const expired = await router.post({ query: '{ __typename }' }, { authorization: `Bearer ${tampered}` });
    expect(expired.status).toBe(401);
  });

  it('does not expose the service-to-service stock mutation', async () => {
    const response = await router.post({
      query: 'mutation { reserveStock(reservationId: "x", productId: "y", quantity: 1) { id } }',
    });
    expect((await errorsOf(response))[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('is the only way in: a subgraph refuses a direct call without the router signature', async () => {
    const response = await fetch(router.subgraphs.products.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shop-viewer': '01930000-0000-7000-8000-000000000001 ADMIN' },
      body: JSON.stringify({ query: 'mutation { deleteProduct(id: "01930000-0000-7000-9000-000000000001") { id } }' }),
    });
    expect(response.status).toBe(401);
    expect((await errorsOf(response))[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
