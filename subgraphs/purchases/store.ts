import { isUniqueViolation } from '../../lib/database/prismaErrors.ts';
import type { PageRequest } from '../../lib/graphql/pagination.ts';
import type { PrismaClient, Purchase } from '../../prisma/purchases/__generated__/client.ts';

/** A purchase the products service confirmed: what clients see. */
export type PurchaseRecord = Purchase & { status: 'COMPLETED'; productName: string; unitPrice: number; completedAt: Date };

/** Other services' entities, as this service knows them: by id only. */
export type MemberReference = { id: string };
export type ProductReference = { id: string };

export interface PendingPurchase {
  memberId: string;
  productId: string;
  quantity: number;
  idempotencyKey: string;
}

export interface PriceAtPurchase {
  productName: string;
  unitPrice: number;
}

/** The purchases service's only door to its database. */
export function createPurchaseStore(prisma: PrismaClient) {
  return {
    /** A completed purchase by id, or null. */
    async purchaseById(id: string): Promise<PurchaseRecord | null> {
      const row = await prisma.purchase.findUnique({ where: { id } });
      return row && isCompleted(row) ? row : null;
    },

    /** A member's completed purchases, newest first (UUIDv7 ids are time-ordered); one row more than asked. */
    async purchasesOf(memberId: string, page: PageRequest): Promise<PurchaseRecord[]> {
      const rows = await prisma.purchase.findMany({
        where: {
          memberId,
          status: 'COMPLETED',
          ...(page.afterId === null ? {} : { id: { lt: page.afterId } }),
        },
        orderBy: { id: 'desc' },
        take: page.first + 1,
      });
      return rows.filter(isCompleted);
    },

    /** All completed purchases, or those of one product, newest first; one row more than asked. */
    async listPurchases(page: PageRequest, productId: string | null): Promise<PurchaseRecord[]> {
      const rows = await prisma.purchase.findMany({
        where: {
          status: 'COMPLETED',
          ...(productId === null ? {} : { productId }),
          ...(page.afterId === null ? {} : { id: { lt: page.afterId } }),
        },
        orderBy: { id: 'desc' },
        take: page.first + 1,
      });
      return rows.filter(isCompleted);
    },

    /** The purchase a member started with this idempotency key, in whatever state it is. */
    purchaseByKey(memberId: string, idempotencyKey: string): Promise<Purchase | null> {
      return prisma.purchase.findUnique({ where: { memberId_idempotencyKey: { memberId, idempotencyKey } } });
    },

    /**
     * Writes the purchase as PENDING before any stock is taken, so a crash after the products
     * service took stock leaves a record to complete. Null when a concurrent request with the same
     * key wrote first.
     */
    async startPurchase(purchase: PendingPurchase): Promise<Purchase | null> {
      try {
        return await prisma.purchase.create({ data: { ...purchase, status: 'PENDING' } });
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    },

    /** Marks a purchase completed at the price the products service charged; a no-op if it already is. */
    async completePurchase(id: string, price: PriceAtPurchase): Promise<PurchaseRecord> {
      await prisma.purchase.updateMany({
        where: { id, status: 'PENDING' },
        data: { status: 'COMPLETED', productName: price.productName, unitPrice: price.unitPrice, completedAt: new Date() },
      });
      const row = await prisma.purchase.findUniqueOrThrow({ where: { id } });
      if (!isCompleted(row)) throw new Error(`Purchase ${id} did not complete`);
      return row;
    },

    /** Forgets a pending purchase whose stock was definitely not taken, so its key can be used again. */
    async abandonPurchase(id: string): Promise<void> {
      await prisma.purchase.deleteMany({ where: { id, status: 'PENDING' } });
    },

    /** Pending purchases started before `startedBefore`, oldest first: the ones a crash left behind. */
    stalePendingPurchases(startedBefore: Date, limit: number): Promise<Purchase[]> {
      return prisma.purchase.findMany({
        where: { status: 'PENDING', createdAt: { lt: startedBefore } },
        orderBy: { createdAt: 'asc' },
        take: limit,
      });
    },

    /** Adds completed purchases in one statement: all or none (the sample shop). */
    async importPurchases(purchases: Array<Omit<PurchaseRecord, 'status'>>): Promise<void> {
      await prisma.purchase.createMany({ data: purchases.map((purchase) => ({ ...purchase, status: 'COMPLETED' as const })) });
    },

    async isEmpty(): Promise<boolean> {
      return (await prisma.purchase.findFirst({ select: { id: true } })) === null;
    },
  };
}

export type PurchaseStore = ReturnType<typeof createPurchaseStore>;

export function isCompleted(row: Purchase): row is PurchaseRecord {
  return row.status === 'COMPLETED' && row.productName !== null && row.unitPrice !== null && row.completedAt !== null;
}
