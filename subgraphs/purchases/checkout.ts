import { randomUUID } from 'node:crypto';
import { badInput, conflict, ErrorCode, ErrorReason, ShopError, unauthenticated } from '../../lib/errors.ts';
import { failpoint } from '../../lib/failpoint.ts';
import { parseId } from '../../lib/graphql/parseId.ts';
import type { Purchase } from '../../prisma/purchases/__generated__/client.ts';
import type { PurchasesContext } from './subgraph.ts';
import { isCompleted, type PurchaseRecord } from './store.ts';

/**
 * A purchase spans two services: the purchases service records it, the products service takes the
 * stock. With no distributed transaction, it is a small saga keyed by the purchase id:
 *
 *   1. write the purchase PENDING (unique per member and idempotency key);
 *   2. ask products to reserve stock under the purchase id (idempotent: a repeat takes nothing);
 *   3. mark the purchase COMPLETED with the name and price products charged.
 *
 * If products definitely refused (no such product, not enough stock) the pending row is dropped.
 * If the outcome is unknown (products did not answer, or a process died), the row stays PENDING.
 * A retry with the same key repeats step 2, which takes the stock at most once. A purchase nobody
 * retries is settled by `settleStalePurchases`: products answers whether its stock was taken
 * (then it completes) or cancels the id for good (then it is dropped), atomically, so a
 * reservation still on its way can no longer take stock.
 */

const QUANTITY_MAX = 1000;
const KEY_MAX = 100;

/** Refusals after which no stock was taken, so the pending purchase can be dropped. */
const DEFINITE_REFUSALS = new Set<string>([
  ErrorCode.NOT_FOUND,
  ErrorCode.INSUFFICIENT_STOCK,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.CONFLICT,
]);

export interface CheckoutInput {
  productId: string;
  quantity?: number | null;
  idempotencyKey?: string | null;
}

export async function checkout(input: CheckoutInput, context: PurchasesContext): Promise<PurchaseRecord> {
  const { viewer, store } = context;
  if (!viewer) throw unauthenticated();
  const productId = parseId(input.productId, 'productId');
  const quantity = input.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > QUANTITY_MAX) {
    throw badInput(`quantity must be from 1 to ${QUANTITY_MAX}; got ${quantity}.`, 'quantity');
  }
  const idempotencyKey = input.idempotencyKey ?? randomUUID();
  if (idempotencyKey.length < 1 || idempotencyKey.length > KEY_MAX || !idempotencyKey.isWellFormed()) {
    throw badInput(`idempotencyKey is 1–${KEY_MAX} characters of valid Unicode text.`, 'idempotencyKey');
  }
  const wanted = { memberId: viewer.memberId, productId, quantity, idempotencyKey };

  for (;;) {
    const earlier = await store.purchaseByKey(viewer.memberId, idempotencyKey);
    let purchase = earlier;
    if (earlier) {
      if (earlier.productId !== productId || earlier.quantity !== quantity) {
        throw conflict('This idempotencyKey was used for a different purchase; use a new key for a new purchase.');
      }
    } else {
      await requireBuyer(context);
      // Null: a concurrent request with the same key wrote first; continue from its purchase.
      purchase = await store.startPurchase(wanted);
    }
    if (!purchase) continue;
    try {
      return await finishPurchase(purchase, context);
    } catch (error) {
      // An interrupted attempt under this key was settled as cancelled (and dropped) meanwhile:
      // the client is retrying it, so start the purchase afresh under the same key.
      if (error instanceof ShopError && error.extensions['reason'] === ErrorReason.RESERVATION_CANCELLED) continue;
      throw error;
    }
  }
}

/** Steps 2 and 3 for a purchase in any state; completed purchases come back as they are. */
export async function finishPurchase(purchase: Purchase, context: PurchasesContext): Promise<PurchaseRecord> {
  const { store } = context;
  if (isCompleted(purchase)) return purchase;
  let reservation: ReserveStockData['reserveStock'];
  try {
    ({ reserveStock: reservation } = await context.subgraphs.request<ReserveStockData>(
      'products',
      RESERVE_STOCK,
      { reservationId: purchase.id, productId: purchase.productId, quantity: purchase.quantity },
      context,
    ));
  } catch (error) {
    if (error instanceof ShopError && DEFINITE_REFUSALS.has(error.code)) await store.abandonPurchase(purchase.id);
    throw error;
  }
  failpoint('purchases.checkout.after-reserve');
  return store.completePurchase(purchase.id, reservation);
}

/**
 * Settles purchases left PENDING longer than `olderThanMs` by a crash or an unanswered call,
 * oldest first: completes those whose stock was taken, drops the rest. Run periodically by the
 * purchases service; returns how many it settled. A service that is still down is tried again
 * on the next run.
 */
export async function settleStalePurchases(context: PurchasesContext, olderThanMs: number, limit = 50): Promise<number> {
  const stale = await context.store.stalePendingPurchases(new Date(Date.now() - olderThanMs), limit);
  let settled = 0;
  for (const purchase of stale) {
    let settlement: SettleData['settleReservation'];
    try {
      ({ settleReservation: settlement } = await context.subgraphs.request<SettleData>(
        'products',
        SETTLE_RESERVATION,
        { reservationId: purchase.id, productId: purchase.productId, quantity: purchase.quantity },
        context,
      ));
    } catch (error) {
      if (error instanceof ShopError && error.code === ErrorCode.SERVICE_UNAVAILABLE) continue;
      throw error;
    }
    if (settlement.reservation) await context.store.completePurchase(purchase.id, settlement.reservation);
    else await context.store.abandonPurchase(purchase.id);
    settled += 1;
  }
  return settled;
}

/** The buyer must still exist: a token outlives an account deleted after it was issued. */
async function requireBuyer(context: PurchasesContext): Promise<void> {
  const memberId = context.viewer?.memberId;
  const { _entities } = await context.subgraphs.request<BuyerData>(
    'members',
    BUYER_EXISTS,
    { representations: [{ __typename: 'Member', id: memberId }] },
    context,
  );
  if (!_entities[0]) throw unauthenticated('Your account no longer exists.');
}

const RESERVE_STOCK = /* GraphQL */ `
  mutation ReserveStock($reservationId: ID!, $productId: ID!, $quantity: Int!) {
    reserveStock(reservationId: $reservationId, productId: $productId, quantity: $quantity) {
      productName
      unitPrice
    }
  }
`;

interface ReserveStockData {
  reserveStock: { productName: string; unitPrice: number };
}

const SETTLE_RESERVATION = /* GraphQL */ `
  mutation SettleReservation($reservationId: ID!, $productId: ID!, $quantity: Int!) {
    settleReservation(reservationId: $reservationId, productId: $productId, quantity: $quantity) {
      status
      reservation {
        productName
        unitPrice
      }
    }
  }
`;

interface SettleData {
  settleReservation: { status: 'TAKEN' | 'CANCELLED'; reservation: { productName: string; unitPrice: number } | null };
}

const BUYER_EXISTS = /* GraphQL */ `
  query BuyerExists($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Member {
        id
      }
    }
  }
`;

interface BuyerData {
  _entities: Array<{ id: string } | null>;
}
