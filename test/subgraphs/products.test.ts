import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../lib/auth/Viewer.ts';
import { databaseKinds } from '../support/testDatabase.ts';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../support/subgraphHarness.ts';

const admin: Viewer = { memberId: '01930000-0000-7000-8000-00000000a001', role: 'ADMIN' };
const customer: Viewer = { memberId: '01930000-0000-7000-8000-00000000c001', role: 'CUSTOMER' };

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateProductInput!) {
    createProduct(input: $input) { id name category description price stock }
  }
`;
const RESERVE = /* GraphQL */ `
  mutation Reserve($reservationId: ID!, $productId: ID!, $quantity: Int!) {
    reserveStock(reservationId: $reservationId, productId: $productId, quantity: $quantity) {
      id productId quantity productName unitPrice
    }
  }
`;

const validProduct = { name: 'Desk lamp', category: 'Home', description: 'Warm light.', price: 2500, stock: 5 };

describe.each(databaseKinds())('products subgraph (%s database)', (kind) => {
  let products: SubgraphUnderTest;
  beforeEach(async () => {
    products = await startSubgraphUnderTest('products', kind);
  });
  afterEach(async () => {
    await products.close();
  });

  async function create(overrides: Record<string, unknown> = {}) {
    const { data, errors } = await products.execute<{ createProduct: { id: string; stock: number } }>(CREATE, {
      variables: { input: { ...validProduct, ...overrides } },
      viewer: admin,
    });
    expect(errors).toBeUndefined();
    return data!.createProduct;
  }

  async function stockOf(id: string): Promise<number> {
    const { data } = await products.execute<{ product: { stock: number } }>(`{ product(id: "${id}") { stock } }`);
    return data!.product.stock;
  }

  async function productCount(): Promise<number> {
    const [row] = await products.database.withSession((session) =>
      session.query<{ count: number }>('SELECT count(*)::int AS count FROM "Product"'),
    );
    return row!.count;
  }

  it('publishes its SDL with Product as an entity and the stock mutation for the purchases service', async () => {
    const { data } = await products.execute<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(data?._service.sdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
    expect(data?._service.sdl).toMatch(/reserveStock\(.*\): StockReservation! @inaccessible/);
  });

  it('lets an admin add a product, trimming text and lower-casing the category', async () => {
    const product = await create({ name: '  Desk lamp ', category: 'HOME' });
    expect(product).toMatchObject({ name: 'Desk lamp', category: 'home', price: 2500, stock: 5 });
  });

  it('refuses to add products for anonymous callers and customers', async () => {
    const anonymous = await products.execute(CREATE, { variables: { input: validProduct } });
    const asCustomer = await products.execute(CREATE, { variables: { input: validProduct }, viewer: customer });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(asCustomer.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await productCount()).toBe(0);
  });

  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a name of spaces', { name: '   ' }, 'name'],
    ['a name of 201 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a name on two lines', { name: 'Desk\nlamp' }, 'name'],
    ['an empty category', { category: '' }, 'category'],
    ['a description of 5,001 characters', { description: 'd'.repeat(5001) }, 'description'],
    ['a description with a NUL character', { description: 'nul\u0000byte' }, 'description'],
    ['a negative price', { price: -1 }, 'price'],
    ['a negative stock', { stock: -5 }, 'stock'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, override, field) => {
    const { errors } = await products.execute(CREATE, { variables: { input: { ...validProduct, ...override } }, viewer: admin });
    expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(await productCount()).toBe(0);
  });

  it('refuses a price beyond a 32-bit integer before any resolver runs', async () => {
    const { errors } = await products.execute(CREATE, {
      variables: { input: { ...validProduct, price: 2 ** 31 } },
      viewer: admin,
    });
    expect(errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await productCount()).toBe(0);
  });

  it('lists products in the order they were added, filtered by category', async () => {
    await create({ name: 'Lamp', category: 'home' });
    await create({ name: 'Novel', category: 'books' });
    await create({ name: 'Rug', category: 'home' });
    const all = await products.execute<{ products: { nodes: Array<{ name: string }> } }>('{ products { nodes { name } } }');
    expect(all.data?.products.nodes.map((node) => node.name)).toEqual(['Lamp', 'Novel', 'Rug']);
    const home = await products.execute<{ products: { nodes: Array<{ name: string }> } }>(
      '{ products(category: "HOME") { nodes { name } } }',
    );
    expect(home.data?.products.nodes.map((node) => node.name)).toEqual(['Lamp', 'Rug']);
  });

  it('lets an admin delete a product; its references then resolve to null', async () => {
    const { id } = await create();
    const asCustomer = await products.execute(`mutation { deleteProduct(id: "${id}") { id } }`, { viewer: customer });
    expect(asCustomer.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const deleted = await products.execute(`mutation { deleteProduct(id: "${id}") { id } }`, { viewer: admin });
    expect(deleted.data).toEqual({ deleteProduct: { id } });
    const again = await products.execute(`mutation { deleteProduct(id: "${id}") { id } }`, { viewer: admin });
    expect(again.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const entity = await products.execute<{ _entities: unknown[] }>(
      `{ _entities(representations: [{ __typename: "Product", id: "${id}" }]) { ... on Product { name } } }`,
    );
    expect(entity.data?._entities).toEqual([null]);
  });

  it('takes stock for a reservation once, however often it is repeated', async () => {
    const { id } = await create({ stock: 5 });
    const reservationId = randomUUID();
    const variables = { reservationId, productId: id, quantity: 2 };
    const first = await products.execute(RESERVE, { variables });
    const repeat = await products.execute(RESERVE, { variables });
    expect(first.errors).toBeUndefined();
    expect(repeat.data).toEqual(first.data);
    expect(first.data).toEqual({
      reserveStock: { id: reservationId, productId: id, quantity: 2, productName: 'Desk lamp', unitPrice: 2500 },
    });
    expect(await stockOf(id)).toBe(3);
  });

  it('refuses to take more than the stock, or from an unknown product, and changes nothing', async () => {
    const { id } = await create({ stock: 1 });
    const tooMany = await products.execute(RESERVE, { variables: { reservationId: randomUUID(), productId: id, quantity: 2 } });
    expect(tooMany.errors?.[0]).toMatchObject({
      message: 'Only 1 of "Desk lamp" left; asked for 2.',
      extensions: { code: 'INSUFFICIENT_STOCK', available: 1 },
    });
    const unknown = await products.execute(RESERVE, {
      variables: { reservationId: randomUUID(), productId: randomUUID(), quantity: 1 },
    });
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect(await stockOf(id)).toBe(1);
  });

  it('refuses a reservation id reused for another quantity with CONFLICT', async () => {
    const { id } = await create({ stock: 5 });
    const reservationId = randomUUID();
    await products.execute(RESERVE, { variables: { reservationId, productId: id, quantity: 1 } });
    const reused = await products.execute(RESERVE, { variables: { reservationId, productId: id, quantity: 3 } });
    expect(reused.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
    expect(await stockOf(id)).toBe(4);
  });

  it('settles an interrupted reservation as taken when the stock was taken, and as cancelled for good otherwise', async () => {
    const { id } = await create({ stock: 5 });
    const SETTLE = `mutation Settle($reservationId: ID!, $productId: ID!, $quantity: Int!) {
      settleReservation(reservationId: $reservationId, productId: $productId, quantity: $quantity) { status reservation { id unitPrice } }
    }`;
    const taken = randomUUID();
    await products.execute(RESERVE, { variables: { reservationId: taken, productId: id, quantity: 2 } });
    const settledTaken = await products.execute(SETTLE, { variables: { reservationId: taken, productId: id, quantity: 2 } });
    expect(settledTaken.data).toEqual({ settleReservation: { status: 'TAKEN', reservation: { id: taken, unitPrice: 2500 } } });

    const neverTaken = randomUUID();
    const settledCancelled = await products.execute(SETTLE, { variables: { reservationId: neverTaken, productId: id, quantity: 1 } });
    expect(settledCancelled.data).toEqual({ settleReservation: { status: 'CANCELLED', reservation: null } });
    const late = await products.execute(RESERVE, { variables: { reservationId: neverTaken, productId: id, quantity: 1 } });
    expect(late.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
    expect(await stockOf(id)).toBe(3);
  });

  it('never sells more than the stock when reservations race for the last items', async () => {
    const { id } = await create({ stock: 5 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        products.execute(RESERVE, { variables: { reservationId: randomUUID(), productId: id, quantity: 1 } }),
      ),
    );
    const succeeded = outcomes.filter((outcome) => !outcome.errors).length;
    const refused = outcomes.filter((outcome) => outcome.errors?.[0]?.extensions?.['code'] === 'INSUFFICIENT_STOCK').length;
    expect([succeeded, refused]).toEqual([5, 15]);
    expect(await stockOf(id)).toBe(0);
  });

  it('resolves 50 entity references in one SQL statement', async () => {
    const created = [await create({ name: 'A' }), await create({ name: 'B' })];
    const representations = Array.from({ length: 50 }, (_, index) => ({ __typename: 'Product', id: created[index % 2]!.id }));
    const { data, sqlStatements } = await products.execute<{ _entities: Array<{ name: string }> }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }',
      { variables: { r: representations } },
    );
    expect(sqlStatements).toBe(1);
    expect(data?._entities.map((entity) => entity.name).slice(0, 3)).toEqual(['A', 'B', 'A']);
  });
});
