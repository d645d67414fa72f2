import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config.ts';
import { buyOnce } from '../../examples/buyer.ts';
import { sampleProducts } from '../../prisma/sampleShop.ts';
import { databaseKinds } from '../support/testDatabase.ts';
import { startShop, type RunningShop } from '../support/shopProcess.ts';

const LOGIN = 'mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) { token } }';

/** The query the README tells a new user to paste after logging in as ada. */
const README_QUERY = /* GraphQL */ `
  query MyPurchases {
    me {
      username
      purchases {
        nodes {
          quantity
          purchasedAt
          member { username }
          product { name price }
        }
      }
    }
  }
`;

describe.each(databaseKinds())('the whole shop, started as `npm start` starts it (%s databases)', (kind) => {
  let shop: RunningShop;
  beforeAll(async () => {
    shop = await startShop(kind);
  });
  afterAll(async () => {
    await shop?.stop();
  });

  async function login(username: string, password: string): Promise<string> {
    const { data, errors } = await shop.query<{ login: { token: string } }>(LOGIN, { variables: { username, password } });
    expect(errors).toBeUndefined();
    return data!.login.token;
  }

  /** The request lines each service logged for one request id; a line lands just after its response. */
  async function linesOf(requestId: string, services: string[]) {
    const lines = () => shop.logs.filter((entry) => entry.requestId === requestId && entry.msg === 'request');
    await expect.poll(() => new Set(lines().map((entry) => entry.service)), { timeout: 5000 }).toEqual(new Set(services));
    return lines();
  }

  it('serves Apollo Sandbox as the router landing page', async () => {
    const response = await fetch(shop.routerUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
  });

  it("answers the README's query for the seeded member, each field from its own service", async () => {
    const token = await login('ada', 'analytical-engine');
    const { data, errors } = await shop.query<{
      me: { username: string; purchases: { nodes: Array<{ quantity: number; member: { username: string }; product: { name: string; price: number } }> } };
    }>(README_QUERY, { token, requestId: 'readme-query' });
    expect(errors).toBeUndefined();
    expect(data?.me.username).toBe('ada');
    expect(data?.me.purchases.nodes.map((purchase) => purchase.product.name)).toEqual([
      'Pour-over coffee kettle',
      'Structure and Interpretation of Computer Programs',
      'Mechanical keyboard',
    ]);
    expect(data?.me.purchases.nodes.every((purchase) => purchase.member.username === 'ada')).toBe(true);
    const services = (await linesOf('readme-query', ['router', 'members', 'purchases', 'products'])).map((line) => line.service);
    expect(services.filter((service) => service === 'router')).toHaveLength(1);
  });

  it('logs in, buys, and shows the purchase with stock taken in the products service', async () => {
    const token = await login('grace', 'compiler-1952');
    const keyboard = sampleProducts[0].id;
    const before = await shop.query<{ product: { stock: number } }>(`{ product(id: "${keyboard}") { stock } }`);
    const bought = await shop.query<{ createPurchase: { id: string; totalPrice: number; member: { username: string }; product: { stock: number } } }>(
      `mutation { createPurchase(input: { productId: "${keyboard}", quantity: 2 }) { id totalPrice member { username } product { stock } } }`,
      { token },
    );
    expect(bought.errors).toBeUndefined();
    expect(bought.data?.createPurchase).toMatchObject({
      totalPrice: 2 * sampleProducts[0].price,
      member: { username: 'grace' },
      product: { stock: before.data!.product.stock - 2 },
    });
  });

  it('resolves 50 purchases with their members and products in one SQL statement per service', async () => {
    const username = `bulk-${kind}`;
    const registered = await shop.query(
      'mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }',
      { variables: { input: { username, password: 'bulk-buyer-pw' } } },
    );
    expect(registered.errors).toBeUndefined();
    const token = await login(username, 'bulk-buyer-pw');
    for (let index = 0; index < 50; index += 1) {
      const product = sampleProducts[index % sampleProducts.length]!;
      const { errors } = await shop.query(
        `mutation { createPurchase(input: { productId: "${product.id}", idempotencyKey: "bulk-${index}" }) { id } }`,
        { token },
      );
      expect(errors).toBeUndefined();
    }

    const list = (first: number, requestId: string) =>
      shop.query<{ myPurchases: { nodes: Array<{ member: { username: string }; product: { name: string } }> } }>(
        `{ myPurchases(first: ${first}) { nodes { quantity member { username } product { name } } } }`,
        { token, requestId },
      );
    const page50 = await list(50, 'page-of-50');
    const page1 = await list(1, 'page-of-1');
    expect(page50.data?.myPurchases.nodes).toHaveLength(50);
    expect(page50.data?.myPurchases.nodes.every((node) => node.member.username === username && node.product.name)).toBe(true);

    const statements = async (requestId: string) =>
      Object.fromEntries(
        (await linesOf(requestId, ['router', 'purchases', 'members', 'products']))
          .filter((entry) => entry.service !== 'router')
          .map((entry) => [entry.service, entry.sqlStatements]),
      );
    expect(await statements('page-of-50')).toEqual({ purchases: 1, members: 1, products: 1 });
    expect(await statements('page-of-1')).toEqual({ purchases: 1, members: 1, products: 1 });

    // The benchmark's shapes: every member's latest purchases (admin), and the member with theirs.
    const admin = await login('admin', 'admin-password');
    for (const first of [50, 1]) {
      const everyone = await shop.query(`{ purchases(first: ${first}) { nodes { member { username } product { name } } } }`, {
        token: admin,
        requestId: `admin-page-${first}`,
      });
      expect(everyone.errors).toBeUndefined();
      expect(await statements(`admin-page-${first}`)).toEqual({ purchases: 1, members: 1, products: 1 });
    }
    for (const first of [20, 1]) {
      const mine = await shop.query(`{ me { username purchases(first: ${first}) { nodes { product { name price } } } } }`, {
        token,
        requestId: `member-with-${first}`,
      });
      expect(mine.errors).toBeUndefined();
      expect(await statements(`member-with-${first}`)).toEqual({ purchases: 1, members: 1, products: 1 });
    }
  });

  it('sells exactly the stock when many buyers race for the last items', async () => {
    const admin = await login('admin', 'admin-password');
    const created = await shop.query<{ createProduct: { id: string } }>(
      'mutation { createProduct(input: { name: "Last five", category: "limited", description: "", price: 500, stock: 5 }) { id } }',
      { token: admin },
    );
    const productId = created.data!.createProduct.id;
    const buyers = await Promise.all([
      login('ada', 'analytical-engine'),
      login('grace', 'compiler-1952'),
      login('alan', 'enigma-machine'),
    ]);
    const attempts = Array.from({ length: 30 }, (_, index) =>
      shop.query(`mutation { createPurchase(input: { productId: "${productId}", idempotencyKey: "race-${index}" }) { id } }`, {
        token: buyers[index % buyers.length],
      }),
    );
    const results = await Promise.all(attempts);
    const codes = results.map((result) => (result.errors ? String(result.errors[0]?.extensions?.['code']) : 'OK'));
    expect(codes.filter((code) => code === 'OK')).toHaveLength(5);
    expect(codes.filter((code) => code === 'INSUFFICIENT_STOCK')).toHaveLength(25);
    const after = await shop.query<{ product: { stock: number } }>(`{ product(id: "${productId}") { stock } }`);
    expect(after.data?.product.stock).toBe(0);
    let bought = 0;
    for (const token of buyers) {
      const mine = await shop.query<{ myPurchases: { nodes: Array<{ quantity: number; product: { id: string } | null }> } }>(
        '{ myPurchases(first: 100) { nodes { quantity product { id } } } }',
        { token },
      );
      bought += mine.data!.myPurchases.nodes.filter((node) => node.product?.id === productId).reduce((sum, node) => sum + node.quantity, 0);
    }
    expect(bought).toBe(5);
  });

  it('runs the typed example client: registers, buys and reads its purchases', async () => {
    const { bought, purchases } = await buyOnce(shop.routerUrl, `example-${kind}`, 'example-password');
    expect(purchases).toHaveLength(1);
    expect(purchases[0]).toMatchObject({ quantity: 1, member: { username: `example-${kind}` }, product: { name: bought } });
  });

  it('runs `npm run example` against the shop', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'examples/buyer.ts', shop.routerUrl, `cli-${kind}`], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(output).toMatch(new RegExp(`^cli-${kind} bought ".+"\\. Their purchases:\\n  1 × .+ for \\d+ cents`));
  });

  it('refuses a forged token with 401 UNAUTHENTICATED', async () => {
    const response = await shop.query('{ me { id } }', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged' });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('stops all four processes cleanly on Ctrl-C', async () => {
    expect(await shop.stop()).toBe(0);
    const stopped = shop.logs.filter((entry) => / stopped$/.test(entry.msg)).map((entry) => entry.service);
    expect(new Set(stopped)).toEqual(new Set(['router', 'members', 'products', 'purchases']));
  });
});
