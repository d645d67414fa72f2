import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../lib/auth/Viewer.ts';
import { SubgraphClient } from '../../lib/subgraph/SubgraphClient.ts';
import { settleStalePurchases } from '../../subgraphs/purchases/checkout.ts';
import { loadSubgraph } from '../../subgraphs/index.ts';
import { createLogger } from '../../lib/logger.ts';
import type { PurchasesContext } from '../../subgraphs/purchases/subgraph.ts';
import { databaseKinds } from '../support/testDatabase.ts';
import {
  startSubgraphOverHttp,
  startSubgraphUnderTest,
  type RunningSubgraph,
  type SubgraphUnderTest,
} from '../support/subgraphHarness.ts';

const admin: Viewer = { memberId: '01930000-0000-7000-8000-00000000a001', role: 'ADMIN' };

const BUY = /* GraphQL */ `
  mutation Buy($input: CreatePurchaseInput!) {
    createPurchase(input: $input) { id productName unitPrice quantity totalPrice purchasedAt member { id } product { id } }
  }
`;

type Bought = { createPurchase: { id: string; productName: string; unitPrice: number; totalPrice: number } };

describe.each(databaseKinds())('purchases subgraph (%s database)', (kind) => {
  let members: RunningSubgraph;
  let products: RunningSubgraph;
  let purchases: SubgraphUnderTest;
  let client: SubgraphClient;

  beforeEach(async () => {
    [members, products] = await Promise.all([startSubgraphOverHttp('members', kind), startSubgraphOverHttp('products', kind)]);
    purchases = await startSubgraphUnderTest('purchases', kind, { members: members.url, products: products.url });
    client = new SubgraphClient(purchases.config);
  });
  afterEach(async () => {
    await purchases.close();
    await Promise.all([members.stop(), products.stop()]);
  });

  async function newMember(username: string): Promise<Viewer> {
    const { registerMember } = await client.request<{ registerMember: { id: string } }>(
      'members',
      'mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }',
      { input: { username, password: 'correct-horse' } },
      { requestId: randomUUID(), viewer: null },
    );
    return { memberId: registerMember.id, role: 'CUSTOMER' };
  }

  async function newProduct(stock: number, price = 1250): Promise<string> {
    const { createProduct } = await client.request<{ createProduct: { id: string } }>(
      'products',
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { name: 'Teapot', category: 'kitchen', description: 'Cast iron.', price, stock } },
      { requestId: randomUUID(), viewer: admin },
    );
    return createProduct.id;
  }

  async function stockOf(productId: string): Promise<number | null> {
    const { product } = await client.request<{ product: { stock: number } | null }>(
      'products',
      `{ product(id: "${productId}") { stock } }`,
      {},
      { requestId: randomUUID(), viewer: null },
    );
    return product?.stock ?? null;
  }

  /** The purchases subgraph's store and background work on the test's database, as the service runs them. */
  async function purchasesInProcess() {
    const definition = await loadSubgraph('purchases');
    const connected = definition.connect(purchases.database, {
      config: purchases.config,
      log: createLogger('purchases', 'silent'),
      subgraphs: client,
    });
    const context = connected.createContext({ requestId: randomUUID(), viewer: null }) as PurchasesContext;
    return { context, connected };
  }

  async function purchaseRows(): Promise<Array<{ status: string }>> {
    return purchases.database.withSession((session) => session.query('SELECT status FROM "Purchase"'));
  }

  it('publishes its SDL with Member.purchases contributed to the members entity', async () => {
    const { data } = await purchases.execute<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(data?._service.sdl).toMatch(/type Member\s+@key\(fields: "id"\)\s*\{[^}]*purchases\(/);
    expect(data?._service.sdl).toMatch(/type Product\s+@key\(fields: "id", resolvable: false\)/);
  });

  it('buys a product: the products service takes the stock and the price is recorded', async () => {
    const buyer = await newMember('shopper');
    const productId = await newProduct(10);
    const { data, errors } = await purchases.execute<Bought>(BUY, {
      variables: { input: { productId, quantity: 3 } },
      viewer: buyer,
    });
    expect(errors).toBeUndefined();
    expect(data?.createPurchase).toMatchObject({
      productName: 'Teapot',
      unitPrice: 1250,
      quantity: 3,
      totalPrice: 3750,
      member: { id: buyer.memberId },
      product: { id: productId },
    });
    expect(await stockOf(productId)).toBe(7);
    const mine = await purchases.execute<{ myPurchases: { nodes: Array<{ id: string }> } }>('{ myPurchases { nodes { id } } }', {
      viewer: buyer,
    });
    expect(mine.data?.myPurchases.nodes).toEqual([{ id: data!.createPurchase.id }]);
  });

  it('refuses anonymous buyers and buyers whose account is gone', async () => {
    const productId = await newProduct(10);
    const anonymous = await purchases.execute(BUY, { variables: { input: { productId } } });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const ghost = await purchases.execute(BUY, {
      variables: { input: { productId } },
      viewer: { memberId: randomUUID(), role: 'CUSTOMER' },
    });
    expect(ghost.errors?.[0]).toMatchObject({ message: 'Your account no longer exists.', extensions: { code: 'UNAUTHENTICATED' } });
    expect(await stockOf(productId)).toBe(10);
    expect(await purchaseRows()).toEqual([]);
  });

  it('refuses unknown products and too little stock, leaving nothing behind', async () => {
    const buyer = await newMember('hopeful');
    const productId = await newProduct(2);
    const unknown = await purchases.execute(BUY, { variables: { input: { productId: randomUUID() } }, viewer: buyer });
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const tooMany = await purchases.execute(BUY, { variables: { input: { productId, quantity: 3 } }, viewer: buyer });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    expect(await stockOf(productId)).toBe(2);
    expect(await purchaseRows()).toEqual([]);
  });

  it.each([
    ['a quantity of 0', { quantity: 0 }, 'quantity'],
    ['a negative quantity', { quantity: -2 }, 'quantity'],
    ['a quantity of 1,001', { quantity: 1001 }, 'quantity'],
    ['a malformed product id', { productId: "'; DROP TABLE \"Purchase\"; --" }, 'productId'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey'],
    ['an idempotency key of 101 characters', { idempotencyKey: 'k'.repeat(101) }, 'idempotencyKey'],
  ])('refuses %s with BAD_USER_INPUT', async (_case, override, field) => {
    const buyer = await newMember('careful');
    const productId = await newProduct(5);
    const { errors } = await purchases.execute(BUY, { variables: { input: { productId, ...override } }, viewer: buyer });
    expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(await purchaseRows()).toEqual([]);
    expect(await stockOf(productId)).toBe(5);
  });

  it('returns the first purchase when an idempotency key is repeated, and takes stock once', async () => {
    const buyer = await newMember('repeater');
    const productId = await newProduct(10);
    const input = { productId, quantity: 2, idempotencyKey: 'order-42' };
    const outcomes = await Promise.all([1, 2, 3].map(() => purchases.execute<Bought>(BUY, { variables: { input }, viewer: buyer })));
    const ids = new Set(outcomes.map((outcome) => outcome.data?.createPurchase.id));
    expect(ids.size).toBe(1);
    expect(await stockOf(productId)).toBe(8);
    const reused = await purchases.execute(BUY, { variables: { input: { ...input, quantity: 1 } }, viewer: buyer });
    expect(reused.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
  });

  it("lists every member's purchases, newest first and optionally of one product, for admins only", async () => {
    const [first, second] = [await newMember('buyer-one'), await newMember('buyer-two')];
    const [lamp, rug] = [await newProduct(5), await newProduct(5)];
    for (const [buyer, productId] of [[first, lamp], [second, rug], [second, lamp]] as const) {
      const { errors } = await purchases.execute(BUY, { variables: { input: { productId } }, viewer: buyer });
      expect(errors).toBeUndefined();
    }
    const query = 'query ($p: ID) { purchases(productId: $p) { nodes { member { id } product { id } } } }';
    const all = await purchases.execute<{ purchases: { nodes: Array<{ member: { id: string }; product: { id: string } }> } }>(query, { viewer: admin });
    expect(all.data?.purchases.nodes.map((node) => [node.member.id, node.product.id])).toEqual([
      [second.memberId, lamp],
      [second.memberId, rug],
      [first.memberId, lamp],
    ]);
    const lamps = await purchases.execute<{ purchases: { nodes: unknown[] } }>(query, { variables: { p: lamp }, viewer: admin });
    expect(lamps.data?.purchases.nodes).toHaveLength(2);
    const asCustomer = await purchases.execute(query, { viewer: first });
    expect(asCustomer.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it("hides other members' purchases", async () => {
    const [buyer, other] = [await newMember('owner'), await newMember('snoop')];
    const productId = await newProduct(5);
    const bought = await purchases.execute<Bought>(BUY, { variables: { input: { productId } }, viewer: buyer });
    const id = bought.data!.createPurchase.id;
    expect((await purchases.execute(`{ purchase(id: "${id}") { id } }`, { viewer: other })).data).toEqual({ purchase: null });
    expect((await purchases.execute(`{ purchase(id: "${id}") { id } }`, { viewer: buyer })).data).toEqual({ purchase: { id } });
    const theirs = await purchases.execute(
      `{ _entities(representations: [{ __typename: "Member", id: "${buyer.memberId}" }]) { ... on Member { purchases { nodes { id } } } } }`,
      { viewer: other },
    );
    expect(theirs.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('keeps the name and price paid after the product is deleted', async () => {
    const buyer = await newMember('collector');
    const productId = await newProduct(5, 999);
    await purchases.execute(BUY, { variables: { input: { productId } }, viewer: buyer });
    await client.request('products', `mutation { deleteProduct(id: "${productId}") { id } }`, {}, { requestId: randomUUID(), viewer: admin });
    const mine = await purchases.execute<{ myPurchases: { nodes: unknown[] } }>(
      '{ myPurchases { nodes { productName unitPrice product { id } } } }',
      { viewer: buyer },
    );
    // The reference still names the product; the router resolves it to null, since products has no such id.
    expect(mine.data?.myPurchases.nodes).toEqual([{ productName: 'Teapot', unitPrice: 999, product: { id: productId } }]);
  });

  it('answers SERVICE_UNAVAILABLE when products is down, and completes the purchase on retry once it is back', async () => {
    const buyer = await newMember('patient');
    const productId = await newProduct(4);
    const input = { productId, quantity: 1, idempotencyKey: 'retry-me' };
    const cutOff = await startSubgraphUnderTest('purchases', kind, { members: members.url, products: 'http://127.0.0.1:9/graphql' }, purchases.database);
    try {
      const failed = await cutOff.execute(BUY, { variables: { input }, viewer: buyer });
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await cutOff.close();
    }
    expect(await purchaseRows()).toEqual([{ status: 'PENDING' }]);
    expect(await stockOf(productId)).toBe(4);

    const retried = await purchases.execute<Bought>(BUY, { variables: { input }, viewer: buyer });
    expect(retried.errors).toBeUndefined();
    expect(await purchaseRows()).toEqual([{ status: 'COMPLETED' }]);
    expect(await stockOf(productId)).toBe(3);
  });

  it('drops a purchase a crash left pending before any stock was taken, and the id can no longer take stock', async () => {
    const buyer = await newMember('abandoned');
    const productId = await newProduct(6);
    const { context, connected } = await purchasesInProcess();
    const pending = await context.store.startPurchase({ memberId: buyer.memberId, productId, quantity: 2, idempotencyKey: 'gone' });
    expect(await settleStalePurchases(context, 0)).toBe(1);
    expect(await purchaseRows()).toEqual([]);
    await expect(
      client.request(
        'products',
        'mutation ($r: ID!, $p: ID!, $q: Int!) { reserveStock(reservationId: $r, productId: $p, quantity: $q) { id } }',
        { r: pending!.id, p: productId, q: 2 },
        { requestId: randomUUID(), viewer: buyer },
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await stockOf(productId)).toBe(6);
    await connected.disconnect();
  });

  it('completes purchases a crash left pending, taking the stock exactly once', async () => {
    const buyer = await newMember('interrupted');
    const productId = await newProduct(6);
    const { context, connected } = await purchasesInProcess();
    // As if the process died after writing the purchase and asking for stock, before completing.
    const pending = await context.store.startPurchase({ memberId: buyer.memberId, productId, quantity: 2, idempotencyKey: 'crash' });
    await client.request(
      'products',
      'mutation ($r: ID!, $p: ID!, $q: Int!) { reserveStock(reservationId: $r, productId: $p, quantity: $q) { id } }',
      { r: pending!.id, p: productId, q: 2 },
      { requestId: randomUUID(), viewer: buyer },
    );
    expect(await stockOf(productId)).toBe(4);
    expect(await settleStalePurchases(context, 0)).toBe(1);
    expect(await stockOf(productId)).toBe(4);
    const mine = await purchases.execute<{ myPurchases: { nodes: Array<{ id: string; quantity: number }> } }>(
      '{ myPurchases { nodes { id quantity } } }',
      { viewer: buyer },
    );
    expect(mine.data?.myPurchases.nodes).toEqual([{ id: pending!.id, quantity: 2 }]);
    await connected.disconnect();
  });
});
