import type { BenchData } from './seedBenchData.ts';

/** The query shapes the benchmark loads each system with. */
export interface Shape {
  key: string;
  title: string;
  query: string;
  variables: Record<string, unknown>;
  /** Whose token the request carries. */
  as: 'member' | 'admin' | 'nobody';
}

export function shapesFor(data: BenchData): Shape[] {
  return [
    {
      key: 'a',
      title: '(a) one purchase with member and product',
      query: 'query OnePurchase($id: ID!) { purchase(id: $id) { id quantity member { username } product { name price } } }',
      variables: { id: data.member.purchaseId },
      as: 'member',
    },
    {
      key: 'b',
      title: '(b) 50 purchases with member and product',
      query: 'query LatestPurchases { purchases(first: 50) { nodes { id quantity member { username } product { name price } } } }',
      variables: {},
      as: 'admin',
    },
    {
      key: 'b10',
      title: '(b) 50 purchases, only 10 distinct members',
      query:
        'query ProductPurchases($product: ID!) { purchases(first: 50, productId: $product) { nodes { id quantity member { username } product { name price } } } }',
      variables: { product: data.hotProductId },
      as: 'admin',
    },
    {
      key: 'c',
      title: '(c) logged-in member with 20 purchases',
      query: 'query MyShop { me { username purchases(first: 20) { nodes { quantity product { name price } } } } }',
      variables: {},
      as: 'member',
    },
    {
      key: 'd',
      title: '(d) pass-through: a page of members',
      query: 'query Members { members(first: 20) { nodes { id username } } }',
      variables: {},
      as: 'nobody',
    },
    {
      key: 'e',
      title: '(e) purchase mutation',
      query: `mutation Buy { createPurchase(input: { productId: "${data.mutationProductId}", quantity: 1 }) { id totalPrice } }`,
      variables: {},
      as: 'member',
    },
  ];
}
