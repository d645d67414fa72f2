import DataLoader from 'dataloader';
import { isUniqueViolation } from '../../lib/database/prismaErrors.ts';
import { conflict, ErrorCode, notFound, ShopError } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/graphql/pagination.ts';
import type { PrismaClient, Product, StockReservation } from '../../prisma/products/__generated__/client.ts';

export type ProductRecord = Product;

export interface NewProduct {
  id?: string;
  name: string;
  category: string;
  description: string;
  price: number;
  stock: number;
  createdAt?: Date;
}

export interface Reservation {
  reservationId: string;
  productId: string;
  quantity: number;
}

/**
 * The products service's only door to its database. One store serves one request: its loader
 * batches every product lookup of the request into one query.
 */
export function createProductStore(prisma: PrismaClient) {
  const byId = new DataLoader<string, Product | null>(async (ids) => {
    const rows = await prisma.product.findMany({ where: { id: { in: [...ids] } } });
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });

  async function existingReservation({ reservationId, productId, quantity }: Reservation) {
    const existing = await prisma.stockReservation.findUnique({ where: { id: reservationId } });
    if (existing && (existing.productId !== productId || existing.quantity !== quantity)) {
      throw conflict(`Reservation ${reservationId} was made for another product or quantity.`);
    }
    return existing;
  }

  return {
    productById(id: string): Promise<Product | null> {
      return byId.load(id);
    },

    /** Products in the order they were added (UUIDv7 ids are time-ordered); one row more than asked. */
    listProducts(page: PageRequest, category: string | null): Promise<Product[]> {
      return prisma.product.findMany({
        where: {
          ...(category === null ? {} : { category }),
          ...(page.afterId === null ? {} : { id: { gt: page.afterId } }),
        },
        orderBy: { id: 'asc' },
        take: page.first + 1,
      });
    },

    createProduct(product: NewProduct): Promise<Product> {
      return prisma.product.create({ data: product });
    },

    /** True when a product was deleted, false when none had the id. */
    async deleteProduct(id: string): Promise<boolean> {
      const { count } = await prisma.product.deleteMany({ where: { id } });
      byId.clear(id);
      return count === 1;
    },

    /**
     * Takes stock for one purchase, once. The decrement is a single conditional UPDATE, so
     * concurrent purchases of the last items cannot take more than there is; the ledger row shares
     * the transaction, so stock and ledger never disagree. A repeated reservation id returns the
     * first reservation and takes nothing.
     */
    async reserveStock(reservation: Reservation): Promise<StockReservation> {
      const { reservationId, productId, quantity } = reservation;
      const previous = await existingReservation(reservation);
      if (previous) return previous;
      try {
        return await prisma.$transaction(async (tx) => {
          const taken = await tx.product.updateMany({
            where: { id: productId, stock: { gte: quantity } },
            data: { stock: { decrement: quantity } },
          });
          const product = await tx.product.findUnique({ where: { id: productId } });
          if (!product) throw notFound('product', productId);
          if (taken.count === 0) {
            throw new ShopError(
              ErrorCode.INSUFFICIENT_STOCK,
              `Only ${product.stock} of "${product.name}" left; asked for ${quantity}.`,
              { available: product.stock },
            );
          }
          return tx.stockReservation.create({
            data: { id: reservationId, productId, quantity, productName: product.name, unitPrice: product.price },
          });
        });
      } catch (error) {
        // Two calls with one reservation id raced; the loser's transaction rolled back its decrement.
        if (isUniqueViolation(error)) {
          const winner = await existingReservation(reservation);
          if (winner) return winner;
        }
        throw error;
      }
    },

    /** Adds products and their past reservations in one transaction (the sample shop). */
    async importCatalogue(products: NewProduct[], reservations: Array<Omit<StockReservation, 'createdAt'> & { createdAt: Date }>) {
      await prisma.$transaction([
        prisma.product.createMany({ data: products }),
        prisma.stockReservation.createMany({ data: reservations }),
      ]);
    },

    async isEmpty(): Promise<boolean> {
      return (await prisma.product.findFirst({ select: { id: true } })) === null;
    },
  };
}

export type ProductStore = ReturnType<typeof createProductStore>;
