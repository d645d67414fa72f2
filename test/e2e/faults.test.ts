import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../lib/database/Database.ts';
import { sampleProducts, samplePurchases } from '../../prisma/sampleShop.ts';
import type { SubgraphName } from '../../subgraphs/index.ts';
import { SeparateServices } from '../support/separateServices.ts';
import { databaseKinds } from '../support/testDatabase.ts';
import { writeArtifact } from '../support/artifacts.ts';

/**
 * Crashes real services in the middle of purchases and checks the system ends consistent: every
 * purchase a client saw succeed exists once, none stays pending, and for every product the stock
 * taken equals what the completed purchases bought.
 */

const BUY = 'mutation ($input: CreatePurchaseInput!) { createPurchase(input: $input) { id quantity } }';
const STOCKS = '{ products(first: 100) { nodes { id stock } } }';
const GRACE = { PENDING_PURCHASE_GRACE_MS: '400' };

type Ledger = {
  stock: Map<string, number>;
  taken: Map<string, number>;
  completed: Map<string, number>;
  completedIds: Set<string>;
  pending: number;
  cancelled: number;
};

async function ledgerOf(databases: Record<SubgraphName, Database>): Promise<Ledger> {
  const products = await databases.products.withSession((session) =>
    session.query<{ id: string; stock: number }>('SELECT id, stock FROM "Product"'),
  );
  const reservations = await databases.products.withSession((session) =>
    session.query<{ productId: string; status: string; quantity: number }>('SELECT "productId", status, quantity FROM "StockReservation"'),
  );
  const purchases = await databases.purchases.withSession((session) =>
    session.query<{ id: string; productId: string; status: string; quantity: number }>('SELECT id, "productId", status, quantity FROM "Purchase"'),
  );
  const sum = (rows: Array<{ productId: string; quantity: number }>) => {
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(row.productId, (totals.get(row.productId) ?? 0) + row.quantity);
    return totals;
  };
  return {
    stock: new Map(products.map((row) => [row.id, row.stock])),
    taken: sum(reservations.filter((row) => row.status === 'TAKEN')),
    completed: sum(purchases.filter((row) => row.status === 'COMPLETED')),
    completedIds: new Set(purchases.filter((row) => row.status === 'COMPLETED').map((row) => row.id)),
    pending: purchases.filter((row) => row.status === 'PENDING').length,
    cancelled: reservations.filter((row) => row.status === 'CANCELLED').length,
  };
}

/** The ledger agrees with itself: stock taken = bought, for every product, and nothing pending. */
function expectConsistent(ledger: Ledger, stockAtStart: Map<string, number>, soldAtStart: Map<string, number>) {
  expect(ledger.pending).toBe(0);
  for (const [productId, stock] of ledger.stock) {
    const sold = (ledger.completed.get(productId) ?? 0) - (soldAtStart.get(productId) ?? 0);
    expect(ledger.taken.get(productId) ?? 0, productId).toBe(ledger.completed.get(productId) ?? 0);
    expect((stockAtStart.get(productId) ?? stock) - stock, productId).toBe(sold);
  }
}

const sampleSold = () => {
  const sold = new Map<string, number>();
  for (const purchase of samplePurchases) sold.set(purchase.product.id, (sold.get(purchase.product.id) ?? 0) + purchase.quantity);
  return sold;
};

describe.each(databaseKinds())('purchases across crashes (%s databases)', (kind) => {
  let shop: SeparateServices | undefined;
  afterEach(async () => {
    await shop?.dispose();
    shop = undefined;
  });

  async function stocks(): Promise<Map<string, number>> {
    const { data } = await shop!.query<{ products: { nodes: Array<{ id: string; stock: number }> } }>(STOCKS);
    return new Map(data!.products.nodes.map((node) => [node.id, node.stock]));
  }

  it.each([
    ['products', 'products.reserve.before-decrement', 'cancels it: no stock was taken'],
    ['products', 'products.reserve.after-commit', 'completes it: the stock was taken'],
    ['purchases', 'purchases.checkout.after-reserve', 'completes it: the stock was taken'],
  ] as const)('when %s dies at %s, settling %s', async (victim, failpointName, outcome) => {
    shop = await SeparateServices.start(kind, { ...GRACE, FAILPOINTS: failpointName });
    const token = await shop.login('ada', 'analytical-engine');
    const keyboard = sampleProducts[0].id;
    const stockAtStart = await stocks();

    const input = { productId: keyboard, quantity: 2, idempotencyKey: 'crash-test' };
    const first = await shop.query(BUY, { variables: { input }, token });
    expect(first.errors?.[0]?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
    await shop.services[victim].exited();
    await shop.services[victim].start({ FAILPOINTS: '' });
    await expect
      .poll(() => shop!.services.purchases.lines.some((line) => line.includes('"msg":"settled interrupted purchases"')), { timeout: 15_000 })
      .toBe(true);

    const afterSettling = await stocks();
    expect(stockAtStart.get(keyboard)! - afterSettling.get(keyboard)!).toBe(outcome.startsWith('completes') ? 2 : 0);

    // The client, told the outcome was unknown, retries with the same key and gets one purchase.
    const retried = await shop.query<{ createPurchase: { id: string } }>(BUY, { variables: { input }, token });
    expect(retried.errors).toBeUndefined();
    expect(stockAtStart.get(keyboard)! - (await stocks()).get(keyboard)!).toBe(2);

    const ledger = await shop.stopAndInspect(ledgerOf);
    expectConsistent(ledger, stockAtStart, sampleSold());
    expect(ledger.completedIds).toContain(retried.data!.createPurchase.id);
    expect(ledger.cancelled).toBe(outcome.startsWith('cancels') ? 1 : 0);
  });

  it('keeps every purchase a client saw succeed, once, while products and purchases are killed and restarted', async () => {
    shop = await SeparateServices.start(kind, GRACE);
    const adminToken = await shop.login('admin', 'admin-password');
    const productIds: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const { data } = await shop.query<{ createProduct: { id: string } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        { variables: { input: { name: `Stress item ${index}`, category: 'stress', description: '', price: 100 + index, stock: 10_000 } }, token: adminToken },
      );
      productIds.push(data!.createProduct.id);
    }
    const stockAtStart = await stocks();
    const buyers = [
      ['ada', 'analytical-engine'],
      ['grace', 'compiler-1952'],
      ['alan', 'enigma-machine'],
    ] as const;
    const tokens = await Promise.all(buyers.map(([username, password]) => shop!.login(username, password)));

    const seen = { fired: 0, succeeded: new Set<string>(), retries: 0, gaveUp: 0 };
    let streaming = true;
    const client = async (token: string, name: string) => {
      for (let attempt = 0; streaming; attempt += 1) {
        const input = { productId: productIds[attempt % productIds.length], quantity: 1 + (attempt % 3), idempotencyKey: `${name}-${attempt}` };
        seen.fired += 1;
        for (let tries = 0; ; tries += 1) {
          const result = await shop!.query<{ createPurchase: { id: string } }>(BUY, { variables: { input }, token }).catch(() => null);
          if (result?.data?.createPurchase) {
            seen.succeeded.add(result.data.createPurchase.id);
            break;
          }
          const code = result?.errors?.[0]?.extensions?.['code'];
          if (result && code !== 'SERVICE_UNAVAILABLE') throw new Error(`unexpected answer: ${JSON.stringify(result)}`);
          if (tries >= 60) {
            seen.gaveUp += 1;
            break;
          }
          seen.retries += 1;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };
    const stream = Promise.all(tokens.map((token, index) => client(token, buyers[index]![0])));

    await new Promise((resolve) => setTimeout(resolve, 1500));
    await shop.services.products.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await shop.services.products.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await shop.services.purchases.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await shop.services.purchases.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    streaming = false;
    await stream;
    // Let the purchases service settle whatever the crashes interrupted.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const ledger = await shop.stopAndInspect(ledgerOf);
    writeArtifact(`fault-stream-${kind}.json`, {
      purchasesFired: seen.fired,
      succeededAsSeenByClients: seen.succeeded.size,
      foundCompleted: [...seen.succeeded].filter((id) => ledger.completedIds.has(id)).length,
      retriesAfterServiceUnavailable: seen.retries,
      pendingLeft: ledger.pending,
      cancelledReservations: ledger.cancelled,
    });
    expect(seen.gaveUp).toBe(0);
    expect(seen.succeeded.size).toBe(seen.fired);
    expect(seen.retries).toBeGreaterThan(0);
    for (const id of seen.succeeded) expect(ledger.completedIds).toContain(id);
    expectConsistent(ledger, stockAtStart, sampleSold());
    const boughtNow = productIds.reduce((total, id) => total + (ledger.completed.get(id) ?? 0), 0);
    expect(boughtNow).toBe(productIds.reduce((total, id) => total + stockAtStart.get(id)! - ledger.stock.get(id)!, 0));
  });
});
