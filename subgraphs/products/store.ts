import { createByIdLoader } from '../../lib/database/createByIdLoader.ts';
import { isUniqueViolation } from '../../lib/database/prismaErrors.ts';
import type { StoreOptions } from '../../lib/subgraph/SubgraphDefinition.ts';
import { failpoint } from '../../lib/failpoint.ts';
import { conflict, ErrorCode, ErrorReason, notFound, ShopError } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/graphql/pagination.ts';
import type { PrismaClient, Product, StockReservation } from '../../prisma/products/__generated__/client.ts';

export type ProductRecord = Product;

/** A reservation that took stock, with the name and price it was sold at. */
export type TakenReservation = StockReservation & { status: 'TAKEN'; productName: string; unitPrice: number };

export type Settlement = { status: 'TAKEN'; reservation: TakenReservation } | { status: 'CANCELLED'; reservation: null };

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
export function createProductStore(prisma: PrismaClient, options: StoreOptions = { batching: true }) {
  const byId = createByIdLoader((ids) => prisma.product.findMany({ where: { id: { in: ids } } }), options);

  /** The ledger row for a reservation id, checked against what the caller thinks it is. */
  async function ledgerRow({ reservationId, productId, quantity }: Reservation): Promise<StockReservation | null> {
    const existing = await prisma.stockReservation.findUnique({ where: { id: reservationId } });
    if (existing && (existing.productId !== productId || existing.quantity !== quantity)) {
      throw conflict(`Reservation ${reservationId} was made for another product or quantity.`);
    }
    return existing;
  }

  function asTaken(row: StockReservation): TakenReservation {
    if (!isTaken(row)) {
      throw new ShopError(ErrorCode.CONFLICT, `Reservation ${row.id} was cancelled after an interruption.`, {
        reason: ErrorReason.RESERVATION_CANCELLED,
      });
    }
    return row;
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
     * first reservation and takes nothing; a cancelled one is refused.
     */
    async reserveStock(reservation: Reservation): Promise<TakenReservation> {
      const { reservationId, productId, quantity } = reservation;
      const previous = await ledgerRow(reservation);
      if (previous) return asTaken(previous);
      failpoint('products.reserve.before-decrement');
      let taken: TakenReservation;
      try {
        taken = await prisma.$transaction(async (tx) => {
          const decremented = await tx.product.updateMany({
            where: { id: productId, stock: { gte: quantity } },
            data: { stock: { decrement: quantity } },
          });
          const product = await tx.product.findUnique({ where: { id: productId } });
          if (!product) throw notFound('product', productId);
          if (decremented.count === 0) {
            throw new ShopError(
              ErrorCode.INSUFFICIENT_STOCK,
              `Only ${product.stock} of "${product.name}" left; asked for ${quantity}.`,
              { available: product.stock },
            );
          }
          return asTaken(
            await tx.stockReservation.create({
              data: { id: reservationId, productId, quantity, status: 'TAKEN', productName: product.name, unitPrice: product.price },
            }),
          );
        });
      } catch (error) {
        // Another call with this id (a retry, or a settlement) wrote its row first; this
        // transaction rolled back, its decrement with it. The row that won is the answer.
        if (isUniqueViolation(error)) {
          const winner = await ledgerRow(reservation);
          if (winner) return asTaken(winner);
        }
        throw error;
      }
      failpoint('products.reserve.after-commit');
      return taken;
    },

    /**
     * Decides an interrupted purchase: TAKEN if its stock was taken, otherwise CANCELLED, recorded
     * so that a reservation arriving late with the same id can never take stock. The ledger's
     * primary key makes the two outcomes exclusive.
     */
    async settleReservation(reservation: Reservation): Promise<Settlement> {
      const existing = await ledgerRow(reservation);
      if (!existing) {
        try {
          await prisma.stockReservation.create({
            data: { id: reservation.reservationId, productId: reservation.productId, quantity: reservation.quantity, status: 'CANCELLED' },
          });
          return { status: 'CANCELLED', reservation: null };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      const row = existing ?? (await ledgerRow(reservation));
      if (row && isTaken(row)) return { status: 'TAKEN', reservation: row };
      return { status: 'CANCELLED', reservation: null };
    },

    /** Adds products and their past reservations in one transaction (the sample shop). */
    async importCatalogue(products: NewProduct[], reservations: TakenReservation[]) {
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

function isTaken(row: StockReservation): row is TakenReservation {
  return row.status === 'TAKEN' && row.productName !== null && row.unitPrice !== null;
}
