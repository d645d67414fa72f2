import { defineSubgraph, type SubgraphContext } from '../../lib/subgraph/SubgraphDefinition.ts';
import { PrismaClient } from '../../prisma/products/__generated__/client.ts';
import { samplePurchases, sampleProducts, sampleStockOf } from '../../prisma/sampleShop.ts';
import { resolvers } from './resolvers.ts';
import { createProductStore, type ProductStore } from './store.ts';

export type ProductsContext = SubgraphContext<ProductStore>;

export const products = defineSubgraph({
  name: 'products',
  moduleUrl: import.meta.url,
  resolvers,
  createClient: (adapter) => new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
  createStore: createProductStore,
  async seed(store) {
    if (!(await store.isEmpty())) return false;
    await store.importCatalogue(
      sampleProducts.map(({ initialStock, ...product }) => ({ ...product, stock: sampleStockOf(product.id) })),
      samplePurchases.map((purchase) => ({
        id: purchase.id,
        productId: purchase.product.id,
        quantity: purchase.quantity,
        status: 'TAKEN' as const,
        productName: purchase.product.name,
        unitPrice: purchase.product.price,
        createdAt: new Date(purchase.purchasedAt),
      })),
    );
    return true;
  },
});
