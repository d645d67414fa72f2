import { badInput, forbidden, notFound, unauthenticated } from '../../lib/errors.ts';
import type { Viewer } from '../../lib/auth/Viewer.ts';
import { DateTime } from '../../lib/graphql/DateTime.ts';
import { connectionOf, pageRequest } from '../../lib/graphql/pagination.ts';
import { isId, parseId } from '../../lib/graphql/parseId.ts';
import type { Resolvers } from './__generated__/resolvers.ts';
import type { Reservation } from './store.ts';

const NAME_MAX = 200;
const CATEGORY_MAX = 100;
const DESCRIPTION_MAX = 5000;
const QUANTITY_MAX = 1000;
/** Control characters other than tab and newline, which a description may hold. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

export const resolvers = {
  DateTime,

  Query: {
    product: (_parent, { id }, { store }) => store.productById(parseId(id)),
    async products(_parent, { first, after, category }, { store }) {
      const page = pageRequest({ first, after });
      const wanted = category == null ? null : requiredText(category, 'category', CATEGORY_MAX).toLowerCase();
      return connectionOf(await store.listProducts(page, wanted), page);
    },
  },

  Mutation: {
    createProduct(_parent, { input }, { viewer, store }) {
      requireAdmin(viewer);
      return store.createProduct({
        name: requiredText(input.name, 'name', NAME_MAX),
        category: requiredText(input.category, 'category', CATEGORY_MAX).toLowerCase(),
        description: text(input.description, 'description', DESCRIPTION_MAX),
        price: nonNegative(input.price, 'price'),
        stock: nonNegative(input.stock, 'stock'),
      });
    },

    async deleteProduct(_parent, { id }, { viewer, store }) {
      requireAdmin(viewer);
      const productId = parseId(id);
      if (!(await store.deleteProduct(productId))) throw notFound('product', productId);
      return { id: productId };
    },

    reserveStock: (_parent, args, { store }) => store.reserveStock(reservationOf(args)),
    settleReservation: (_parent, args, { store }) => store.settleReservation(reservationOf(args)),
  },

  Product: {
    // The router asks for products by id in batches; the store's loader makes them one query.
    __resolveReference: ({ id }, { store }) => (isId(id) ? store.productById(id.toLowerCase()) : null),
  },
} satisfies Resolvers;

function reservationOf(args: { reservationId: string; productId: string; quantity: number }): Reservation {
  if (!Number.isInteger(args.quantity) || args.quantity < 1 || args.quantity > QUANTITY_MAX) {
    throw badInput(`quantity must be from 1 to ${QUANTITY_MAX}; got ${args.quantity}.`, 'quantity');
  }
  return {
    reservationId: parseId(args.reservationId, 'reservationId'),
    productId: parseId(args.productId, 'productId'),
    quantity: args.quantity,
  };
}

function requireAdmin(viewer: Viewer | null): void {
  if (!viewer) throw unauthenticated();
  if (viewer.role !== 'ADMIN') throw forbidden('Only admins manage the catalogue.');
}

function text(value: string, field: string, max: number): string {
  const cleaned = value.normalize('NFC').trim();
  if (cleaned.length > max) throw badInput(`${field} is at most ${max} characters.`, field);
  if (CONTROL_CHARACTERS.test(cleaned)) throw badInput(`${field} contains control characters.`, field);
  return cleaned;
}

function requiredText(value: string, field: string, max: number): string {
  const cleaned = text(value, field, max);
  if (cleaned === '') throw badInput(`${field} must not be empty.`, field);
  if (/[\n\t]/.test(cleaned)) throw badInput(`${field} is a single line.`, field);
  return cleaned;
}

function nonNegative(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw badInput(`${field} must be 0 or more; got ${value}.`, field);
  return value;
}
