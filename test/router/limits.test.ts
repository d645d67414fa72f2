import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouterUnderTest, type RouterUnderTest } from '../support/routerHarness.ts';

type Body = { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

describe('router limits (defaults)', () => {
  let router: RouterUnderTest;
  beforeAll(async () => {
    router = await startRouterUnderTest('embedded');
  });
  afterAll(async () => {
    await router?.close();
  });

  async function send(query: string, variables: Record<string, unknown> = {}) {
    const response = await router.post({ query, variables });
    return { status: response.status, ...((await response.json()) as Body) };
  }

  const nested = (depth: number) => `{ ${'me { purchases { nodes { member { '.repeat(1)}${'purchases { nodes { member { '.repeat(Math.max(0, (depth - 5) / 3))}id${' } } }'.repeat(Math.max(0, (depth - 5) / 3))} } } } } }`;

  it.each([
    ['depth', nested(11), 10],
    ['aliases', `{ products(first: 1) { nodes { ${Array.from({ length: 16 }, (_, index) => `a${index}: id`).join(' ')} } } }`, 15],
    ['directives', `{ __typename ${'@include(if: true) '.repeat(11)} }`, 10],
    ['rootFields', `{ ${Array.from({ length: 11 }, (_, index) => `p${index}: products(first: 1) { nodes { id } }`).join(' ')} }`, 10],
  ])('refuses an operation over the %s limit with QUERY_LIMIT_EXCEEDED', async (limit, query, maximum) => {
    const { status, errors, data } = await send(query);
    expect(status).toBe(400);
    expect(data).toBeUndefined();
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit, maximum });
  });

  it('refuses a costly operation however few rows exist, naming its cost', async () => {
    const { status, errors } = await send('{ members(first: 100) { nodes { purchases(first: 100) { nodes { product { name } } } } } }');
    expect(status).toBe(400);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', maximum: 3000 });
    expect(errors?.[0]?.extensions?.['cost']).toBeGreaterThan(10_000);
  });

  it('counts page sizes given as variables in the cost', async () => {
    const query = 'query ($n: Int) { products(first: $n) { nodes { id name price stock category } } }';
    expect((await send(query, { n: 5 })).errors).toBeUndefined();
    const costly = await send('query ($n: Int) { members(first: $n) { nodes { purchases(first: $n) { nodes { id } } } } }', { n: 100 });
    expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' });
  });

  it('refuses a document of more tokens than the limit while parsing', async () => {
    const { status, errors } = await send(`{ ${'__typename '.repeat(2100)} }`);
    expect(status).toBe(400);
    expect(errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(errors?.[0]?.message).toMatch(/more tha[nt] 2000 tokens/);
  });

  it('accepts the queries the README shows', async () => {
    const readme = '{ me { username purchases { nodes { quantity purchasedAt member { username } product { name price } } } } }';
    const { errors } = await send(readme);
    expect(errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('refuses batched operations in one request', async () => {
    const response = await router.post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(400);
  });

  it('refuses a GET query without a CSRF-preflight header and answers one with it', async () => {
    const url = `${router.url}?query=${encodeURIComponent('{ __typename }')}`;
    expect((await fetch(url)).status).toBe(400);
    expect((await fetch(url, { headers: { 'apollo-require-preflight': 'true' } })).status).toBe(200);
  });

  it('masks an internal failure in a subgraph as INTERNAL_SERVER_ERROR with the request id, details only in the logs', async () => {
    await router.subgraphs.products.database.withSession((session) => session.exec('ALTER TABLE "Product" RENAME TO "Gone"'));
    try {
      const response = await router.post({ query: '{ products { nodes { name } } }' }, { 'x-request-id': 'masked-1' });
      const body = (await response.json()) as Body;
      expect(body.errors).toEqual([
        { message: 'Internal server error.', path: ['products'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'masked-1' } },
      ]);
    } finally {
      await router.subgraphs.products.database.withSession((session) => session.exec('ALTER TABLE "Gone" RENAME TO "Product"'));
    }
  });
});

describe('router limits (configured)', () => {
  let router: RouterUnderTest;
  beforeAll(async () => {
    router = await startRouterUnderTest('embedded', { MAX_QUERY_DEPTH: '3', MAX_QUERY_COST: '50', MAX_REQUEST_BYTES: '2048' });
  });
  afterAll(async () => {
    await router?.close();
  });

  it('applies the limits the environment sets', async () => {
    const deep = (await (await router.post({ query: '{ products { nodes { id } } }' })).json()) as Body;
    expect(deep.errors).toBeUndefined();
    const tooDeep = (await (await router.post({ query: '{ me { purchases { nodes { id } } } }' })).json()) as Body;
    expect(tooDeep.errors?.[0]?.extensions).toMatchObject({ limit: 'depth', maximum: 3 });
    const costly = (await (await router.post({ query: '{ products(first: 60) { nodes { id } } }' })).json()) as Body;
    expect(costly.errors?.[0]?.extensions).toMatchObject({ limit: 'cost', maximum: 50 });
    expect((await router.post({ query: `{ __typename } # ${'x'.repeat(3000)}` })).status).toBe(413);
  });
});

describe('router in production', () => {
  let router: RouterUnderTest;
  beforeAll(async () => {
    router = await startRouterUnderTest('embedded', {
      NODE_ENV: 'production',
      AUTH_TOKEN_SECRET: 'p'.repeat(40),
      SUBGRAPH_SECRET: 's'.repeat(40),
      MIGRATE_ON_START: 'true',
    });
  });
  afterAll(async () => {
    await router?.close();
  });

  it('turns introspection, the landing page and field suggestions off', async () => {
    const introspection = (await (await router.post({ query: '{ __schema { types { name } } }' })).json()) as Body;
    expect(introspection.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await fetch(router.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('sandbox');
    const typo = (await (await router.post({ query: '{ prodcts { nodes { id } } }' })).json()) as Body;
    expect(typo.errors?.[0]?.message).not.toContain('Did you mean');
  });
});
