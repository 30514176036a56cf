// Get Order Detail takes up to 50 order ids per call (reference §5.1) and the rate limit counts calls (§4.4: 50 QPS
// per API). Reads of one shop that arrive while a call is waiting for its budget token ride on that call: the call is
// filled when its token is granted, with the waiting ids earliest deadline first. An idle shop's read goes out alone
// at once; a flash sale's thousands of reads become calls of up to 50 ids instead of thousands of calls.
import type { TikTokClient } from './client';
import { parseInput, type ShopRef } from './common';
import {
  GET_ORDER_DETAIL_PATH,
  ORDER_DETAIL_MAX_IDS,
  getOrderDetail,
  getOrderDetailInputSchema,
  type TikTokOrder,
} from './orders';

export interface OrderDetailReader {
  /** The order as Get Order Detail returns it, or undefined when TikTok does not return it (not this shop's). */
  read(shop: ShopRef, orderId: string, opts?: { deadline?: Date }): Promise<TikTokOrder | undefined>;
}

interface Waiter {
  orderId: string;
  deadline: number | null;
  seq: number;
  resolve(order: TikTokOrder | undefined): void;
  reject(err: unknown): void;
}

interface ShopQueue {
  shop: ShopRef;
  waiting: Waiter[];
  /** A call is waiting for its token; new reads join it. */
  forming: boolean;
}

/** Deadline first (none last), then arrival: the budget's own order (rateBudget.ts). */
function byDeadline(a: Waiter, b: Waiter): number {
  if (a.deadline !== b.deadline) {
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    return a.deadline - b.deadline;
  }
  return a.seq - b.seq;
}

export function createOrderDetailReader(client: TikTokClient, opts: { maxIds?: number } = {}): OrderDetailReader {
  const maxIds = Math.min(opts.maxIds ?? ORDER_DETAIL_MAX_IDS, ORDER_DETAIL_MAX_IDS);
  const shops = new Map<string, ShopQueue>();
  let seq = 0;

  /** Waits for a token with the most urgent waiter's deadline, then sends the call with the waiters it can carry. */
  async function formCall(queue: ShopQueue): Promise<void> {
    queue.forming = true;
    const head = queue.waiting.reduce((a, b) => (byDeadline(a, b) <= 0 ? a : b));
    const deadline = head.deadline === null ? undefined : new Date(head.deadline);
    try {
      await client.reserve({ method: 'GET', path: GET_ORDER_DETAIL_PATH, shopId: queue.shop.shopId, deadline });
    } catch (err) {
      queue.forming = false;
      shops.delete(queue.shop.shopId);
      for (const w of queue.waiting.splice(0)) w.reject(err);
      return;
    }
    queue.forming = false;
    queue.waiting.sort(byDeadline);
    // The most urgent ids that fit, and every other read of those ids.
    const ids = new Set<string>();
    const batch: Waiter[] = [];
    const left: Waiter[] = [];
    for (const w of queue.waiting) {
      if (ids.size < maxIds) ids.add(w.orderId);
      (ids.has(w.orderId) ? batch : left).push(w);
    }
    queue.waiting = left;
    // The next call forms (waits for its token) while this one is on the wire.
    if (queue.waiting.length > 0) void formCall(queue);
    else shops.delete(queue.shop.shopId);
    try {
      const orders = await getOrderDetail(
        client,
        queue.shop,
        { ids: [...ids] },
        { ...(deadline ? { deadline } : {}), tokenReserved: true },
      );
      const byId = new Map(orders.map((o) => [o.id, o]));
      for (const w of batch) w.resolve(byId.get(w.orderId));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  return {
    read(shop, orderId, readOpts = {}) {
      return new Promise<TikTokOrder | undefined>((resolve, reject) => {
        // A malformed id is refused here, alone, instead of failing the call it would have joined.
        parseInput(getOrderDetailInputSchema, { ids: [orderId] }, 'GET', GET_ORDER_DETAIL_PATH);
        let queue = shops.get(shop.shopId);
        if (!queue) {
          queue = { shop, waiting: [], forming: false };
          shops.set(shop.shopId, queue);
        }
        const deadline = readOpts.deadline ? readOpts.deadline.getTime() : null;
        queue.waiting.push({ orderId, deadline, seq: seq++, resolve, reject });
        if (!queue.forming) void formCall(queue);
      });
    },
  };
}
