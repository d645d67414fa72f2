/**
 * The sample shop `npm start` puts in empty databases, so the first query a user pastes returns
 * something. Each subgraph seeds only its own part; fixed ids keep the parts consistent across
 * services (a purchase's member and product exist, and stock already reflects the purchases).
 */

export const sampleMembers = [
  { id: '01930000-0000-7000-8000-000000000001', username: 'admin', password: 'admin-password', name: 'Shop Admin', email: 'admin@shop.example', role: 'ADMIN' },
  { id: '01930000-0000-7000-8000-000000000002', username: 'ada', password: 'analytical-engine', name: 'Ada Lovelace', email: 'ada@shop.example', role: 'CUSTOMER' },
  { id: '01930000-0000-7000-8000-000000000003', username: 'grace', password: 'compiler-1952', name: 'Grace Hopper', email: 'grace@shop.example', role: 'CUSTOMER' },
  { id: '01930000-0000-7000-8000-000000000004', username: 'alan', password: 'enigma-machine', name: 'Alan Turing', email: null, role: 'CUSTOMER' },
] as const;

export const sampleProducts = [
  { id: '01930000-0000-7000-9000-000000000001', name: 'Mechanical keyboard', category: 'electronics', price: 8900, initialStock: 25, description: 'Tenkeyless, hot-swappable switches, USB-C.' },
  { id: '01930000-0000-7000-9000-000000000002', name: 'Noise-cancelling headphones', category: 'electronics', price: 19900, initialStock: 10, description: 'Over-ear, 30 hours of battery.' },
  { id: '01930000-0000-7000-9000-000000000003', name: 'The Pragmatic Programmer', category: 'books', price: 3900, initialStock: 40, description: '20th anniversary edition.' },
  { id: '01930000-0000-7000-9000-000000000004', name: 'Structure and Interpretation of Computer Programs', category: 'books', price: 5500, initialStock: 15, description: 'Second edition.' },
  { id: '01930000-0000-7000-9000-000000000005', name: 'Pour-over coffee kettle', category: 'kitchen', price: 4500, initialStock: 12, description: 'Gooseneck spout, 1 litre.' },
  { id: '01930000-0000-7000-9000-000000000006', name: 'Cast-iron skillet', category: 'kitchen', price: 3200, initialStock: 20, description: '26 cm, pre-seasoned.' },
] as const;

const [, ada, grace, alan] = sampleMembers;
const [keyboard, headphones, pragmatic, sicp, kettle, skillet] = sampleProducts;

export const samplePurchases = [
  { id: '01930000-0000-7000-a000-000000000001', memberId: ada.id, product: keyboard, quantity: 1, purchasedAt: '2026-10-02T09:15:00.000Z' },
  { id: '01930000-0000-7000-a000-000000000002', memberId: grace.id, product: pragmatic, quantity: 1, purchasedAt: '2026-10-05T14:40:00.000Z' },
  { id: '01930000-0000-7000-a000-000000000003', memberId: ada.id, product: sicp, quantity: 2, purchasedAt: '2026-10-11T18:05:00.000Z' },
  { id: '01930000-0000-7000-a000-000000000004', memberId: alan.id, product: skillet, quantity: 1, purchasedAt: '2026-10-20T08:30:00.000Z' },
  { id: '01930000-0000-7000-a000-000000000005', memberId: grace.id, product: headphones, quantity: 1, purchasedAt: '2026-11-01T12:00:00.000Z' },
  { id: '01930000-0000-7000-a000-000000000006', memberId: ada.id, product: kettle, quantity: 1, purchasedAt: '2026-11-20T07:45:00.000Z' },
] as const;

/** Stock left once the sample purchases took theirs. */
export function sampleStockOf(productId: string): number {
  const product = sampleProducts.find((candidate) => candidate.id === productId);
  if (!product) throw new Error(`${productId} is not a sample product`);
  const sold = samplePurchases
    .filter((purchase) => purchase.product.id === productId)
    .reduce((total, purchase) => total + purchase.quantity, 0);
  return product.initialStock - sold;
}
