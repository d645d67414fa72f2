import { forbidden, unauthenticated } from '../../lib/errors.ts';
import { DateTime } from '../../lib/graphql/DateTime.ts';
import { connectionOf, pageRequest } from '../../lib/graphql/pagination.ts';
import { parseId } from '../../lib/graphql/parseId.ts';
import type { Resolvers } from './__generated__/resolvers.ts';
import { checkout } from './checkout.ts';

export const resolvers = {
  DateTime,

  Query: {
    async purchase(_parent, { id }, { viewer, store }) {
      if (!viewer) throw unauthenticated();
      const purchase = await store.purchaseById(parseId(id));
      // Another member's purchase is reported as absent, not forbidden: ids do not leak.
      return purchase?.memberId === viewer.memberId ? purchase : null;
    },
    async myPurchases(_parent, args, { viewer, store }) {
      if (!viewer) throw unauthenticated();
      const page = pageRequest(args);
      return connectionOf(await store.purchasesOf(viewer.memberId, page), page);
    },
    async purchases(_parent, { first, after, productId }, { viewer, store }) {
      if (!viewer) throw unauthenticated();
      if (viewer.role !== 'ADMIN') throw forbidden("Only admins see every member's purchases.");
      const page = pageRequest({ first, after });
      return connectionOf(await store.listPurchases(page, productId == null ? null : parseId(productId, 'productId')), page);
    },
  },

  Mutation: {
    createPurchase: (_parent, { input }, context) => checkout(input, context),
  },

  Purchase: {
    // References only: the router fetches the rest from the members and products services.
    member: (purchase) => ({ id: purchase.memberId }),
    product: (purchase) => ({ id: purchase.productId }),
    purchasedAt: (purchase) => purchase.createdAt,
    totalPrice: (purchase) => purchase.unitPrice * purchase.quantity,
  },

  Member: {
    __resolveReference: ({ id }) => ({ id }),
    async purchases(member, args, { viewer, store }) {
      if (!viewer) throw unauthenticated();
      if (viewer.memberId !== member.id) throw forbidden("Only the member themself may read their purchases.");
      const page = pageRequest(args);
      return connectionOf(await store.purchasesOf(member.id, page), page);
    },
  },
} satisfies Resolvers;
