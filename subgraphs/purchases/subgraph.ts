import { defineSubgraph, type SubgraphContext } from '../../lib/subgraph/SubgraphDefinition.ts';
import { settleStalePurchases } from './checkout.ts';
import { PrismaClient } from '../../prisma/purchases/__generated__/client.ts';
import { samplePurchases } from '../../prisma/sampleShop.ts';
import { resolvers } from './resolvers.ts';
import { createPurchaseStore, type PurchaseStore } from './store.ts';

export type PurchasesContext = SubgraphContext<PurchaseStore>;

export const purchases = defineSubgraph({
  name: 'purchases',
  moduleUrl: import.meta.url,
  resolvers,
  createClient: (adapter) => new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
  createStore: createPurchaseStore,
  async seed(store) {
    if (!(await store.isEmpty())) return false;
    await store.importPurchases(
      samplePurchases.map((purchase) => ({
        id: purchase.id,
        memberId: purchase.memberId,
        productId: purchase.product.id,
        quantity: purchase.quantity,
        idempotencyKey: `sample-${purchase.id}`,
        productName: purchase.product.name,
        unitPrice: purchase.product.price,
        createdAt: new Date(purchase.purchasedAt),
        completedAt: new Date(purchase.purchasedAt),
      })),
    );
    return true;
  },
  // Purchases interrupted midway (a crash, an unanswered call) are settled here; every worker may
  // run it, since settling a purchase twice changes nothing.
  backgroundWork(newContext, log) {
    let running = false;
    const grace = newContext().config.pendingPurchaseGraceMs;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      settleStalePurchases(newContext(), grace)
        .then((settled) => settled > 0 && log.info({ settled }, 'settled interrupted purchases'))
        .catch((error: unknown) => log.error({ err: error }, 'settling interrupted purchases failed'))
        .finally(() => (running = false));
    }, Math.max(50, grace / 2));
    timer.unref();
    return () => clearInterval(timer);
  },
});
