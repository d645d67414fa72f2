import { badInput, forbidden, notFound, unauthenticated } from '../../lib/errors.ts';
import type { Viewer } from '../../lib/auth/Viewer.ts';
import { cleanText, requiredText } from '../../lib/graphql/cleanText.ts';
import { DateTime } from '../../lib/graphql/DateTime.ts';
import { connectionOf, pageRequest } from '../../lib/graphql/pagination.ts';
import { isId, parseId } from '../../lib/graphql/parseId.ts';
import type { Resolvers } from './__generated__/resolvers.ts';
import type { Reservation } from './store.ts';

const NAME_MAX = 200;
const CATEGORY_MAX = 100;
const DESCRIPTION_MAX = 5000;
const QUANTITY_MAX = 1000;

export const resolvers = {
  DateTime,

  Query: {
    product: (_parent, { id }, { store }) => store.productById(parseId(id)),
    async products(_parent, { first, after, category }, { store }) {
      const page = pageRequest({ first, after });
      const wanted = category == null ? null : requiredText(category, { field: 'category', max: CATEGORY_MAX }).toLowerCase();
      return connectionOf(await store.listProducts(page, wanted), page);
    },
  },

  Mutation: {
    createProduct(_parent, { input }, { viewer, store }) {
      requireAdmin(viewer);
      return store.createProduct({
        name: requiredText(input.name, { field: 'name', max: NAME_MAX }),
        category: requiredText(input.category, { field: 'category', max: CATEGORY_MAX }).toLowerCase(),
        description: cleanText(input.description, { field: 'description', max: DESCRIPTION_MAX, multiline: true }),
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

function nonNegative(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw badInput(`${field} must be 0 or more; got ${value}.`, field);
  return value;
}
