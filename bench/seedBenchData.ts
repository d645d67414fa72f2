import { mkdirSync } from 'node:fs';
import { hashPassword } from '../lib/auth/password.ts';
import type { DatabaseTarget } from '../lib/config.ts';
import type { Database } from '../lib/database/Database.ts';
import { migrateDatabase } from '../lib/database/migrate.ts';
import { openDatabase } from '../lib/database/openDatabase.ts';
import { PrismaClient as MembersClient } from '../prisma/members/__generated__/client.ts';
import { PrismaClient as ProductsClient } from '../prisma/products/__generated__/client.ts';
import { PrismaClient as PurchasesClient } from '../prisma/purchases/__generated__/client.ts';
import { loadSubgraph } from '../subgraphs/index.ts';
import { createMemberStore } from '../subgraphs/members/store.ts';
import { createProductStore } from '../subgraphs/products/store.ts';
import { createPurchaseStore } from '../subgraphs/purchases/store.ts';

/**
 * The benchmark's fixed data set, the same on every run: 1,000 members, 200 products and 10,000
 * purchases, written through each subgraph's own store into its own database. Laid out
 * for the query shapes: the newest 50 purchases have 50 different buyers; the newest 100 of one
 * "hot" product come from only 10 buyers; the benchmark member has 50 purchases.
 */

export const BENCH_PASSWORD = 'bench-password';
export const MEMBER_COUNT = 1000;
export const PRODUCT_COUNT = 200;
export const PURCHASE_COUNT = 10_000;
const HOT_PURCHASES = 100;
const NEWEST_PURCHASES = 50;
const BENCH_MEMBER_PURCHASES = 50;

export interface BenchData {
  admin: { username: string };
  member: { id: string; username: string; purchaseId: string };
  hotProductId: string;
  mutationProductId: string;
}

export async function seedBenchData(targets: Record<'members' | 'products' | 'purchases', DatabaseTarget>): Promise<BenchData> {
  const random = mulberry32(20261125);
  const pick = (count: number) => Math.floor(random() * count);
  const start = Date.UTC(2026, 0, 1);

  const memberIds = Array.from({ length: MEMBER_COUNT }, (_, index) => uuid7(start + index, index));
  const productIds = Array.from({ length: PRODUCT_COUNT }, (_, index) => uuid7(start + 10_000 + index, index));
  const [adminId, benchMemberId] = memberIds as [string, string];
  const hotProduct = productIds[0]!;
  const passwordHash = await hashPassword(BENCH_PASSWORD);

  const purchases: Array<{ memberId: string; productIndex: number; quantity: number }> = [];
  const randomCount = PURCHASE_COUNT - HOT_PURCHASES - NEWEST_PURCHASES;
  for (let index = 0; index < randomCount; index += 1) {
    const memberId = index < BENCH_MEMBER_PURCHASES ? benchMemberId : memberIds[2 + pick(MEMBER_COUNT - 2)]!;
    purchases.push({ memberId, productIndex: 1 + pick(PRODUCT_COUNT - 1), quantity: 1 + pick(3) });
  }
  for (let index = 0; index < HOT_PURCHASES; index += 1) {
    purchases.push({ memberId: memberIds[10 + (index % 10)]!, productIndex: 0, quantity: 1 });
  }
  for (let index = 0; index < NEWEST_PURCHASES; index += 1) {
    purchases.push({ memberId: memberIds[100 + index]!, productIndex: 1 + pick(PRODUCT_COUNT - 1), quantity: 1 });
  }
  const prices = productIds.map((_, index) => 500 + ((index * 137) % 9500));
  const rows = purchases.map((purchase, index) => {
    const at = new Date(start + 86_400_000 + index * 60_000);
    return {
      id: uuid7(at.getTime(), index),
      memberId: purchase.memberId,
      productId: productIds[purchase.productIndex]!,
      quantity: purchase.quantity,
      productName: `Product ${purchase.productIndex}`,
      unitPrice: prices[purchase.productIndex]!,
      createdAt: at,
      completedAt: at,
    };
  });
  const sold = new Map<string, number>();
  for (const row of rows) sold.set(row.productId, (sold.get(row.productId) ?? 0) + row.quantity);

  await withStore(targets.members, 'members', (adapter) => createMemberStore(new MembersClient({ adapter })), (store) =>
    store.importMembers(
      memberIds.map((id, index) => ({
        id,
        username: index === 0 ? 'bench-admin' : `bench-${String(index).padStart(4, '0')}`,
        passwordHash,
        name: `Bench member ${index}`,
        email: null,
        role: index === 0 ? 'ADMIN' : 'CUSTOMER',
      })),
    ),
  );
  await withStore(targets.products, 'products', (adapter) => createProductStore(new ProductsClient({ adapter })), (store) =>
    store.importCatalogue(
      productIds.map((id, index) => ({
        id,
        name: `Product ${index}`,
        category: `category-${index % 10}`,
        description: `Benchmark product number ${index}.`,
        price: prices[index]!,
        stock: 1_000_000_000 - (sold.get(id) ?? 0),
        createdAt: new Date(start + 10_000 + index),
      })),
      rows.map((row) => ({
        id: row.id,
        productId: row.productId,
        quantity: row.quantity,
        status: 'TAKEN' as const,
        productName: row.productName,
        unitPrice: row.unitPrice,
        createdAt: row.createdAt,
      })),
    ),
  );
  await withStore(targets.purchases, 'purchases', (adapter) => createPurchaseStore(new PurchasesClient({ adapter })), (store) =>
    store.importPurchases(rows.map((row, index) => ({ ...row, idempotencyKey: `bench-${index}` }))),
  );

  return {
    admin: { username: 'bench-admin' },
    member: { id: benchMemberId, username: 'bench-0001', purchaseId: rows[BENCH_MEMBER_PURCHASES - 1]!.id },
    hotProductId: hotProduct,
    mutationProductId: productIds[PRODUCT_COUNT - 1]!,
  };
}

async function withStore<Store>(
  target: DatabaseTarget,
  name: 'members' | 'products' | 'purchases',
  open: (adapter: Database['adapter']) => Store,
  work: (store: Store) => Promise<void>,
): Promise<void> {
  if (target.kind === 'embedded' && target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const database = await openDatabase(target);
  try {
    await migrateDatabase(database, (await loadSubgraph(name)).migrationsDir);
    await work(open(database.adapter));
    await database.withSession((session) => session.exec('ANALYZE'));
  } finally {
    await database.close();
  }
}

/** A UUIDv7 for a given instant, so ids sort in the order the data set was written. */
function uuid7(milliseconds: number, sequence: number): string {
  const hex = milliseconds.toString(16).padStart(12, '0') + '7' + (sequence & 0xfff).toString(16).padStart(3, '0') + '8' + (sequence >>> 12).toString(16).padStart(15, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A small seeded PRNG: the same data set on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
