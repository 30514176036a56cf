// Get Order Detail takes up to 50 order ids per call (https://partner.tiktokshop.com/docv2/page/get-order-detail-202309)
// and the rate limit counts calls (50 QPS per API and shop, rateBudget.ts). Reads of one shop that arrive while a call is waiting for its budget token ride on that call: the call is
// filled when its token is granted, with the waiting ids earliest deadline first. An idle shop's read goes out alone
// at once; a flash sale's thousands of reads become calls of up to 50 ids instead of thousands of calls.
import { detachedFromActivity } from './activityHooks';
import type { TikTokClient } from './client';
import { parseInput, type ShopRef } from './common';
import { callEndpoint } from './endpoint';
import { TikTokApiError, TikTokFailure, TikTokInvalidRequest, TikTokNotFound, TikTokResponseInvalid } from './errors';
import { ORDER_DETAIL_MAX_IDS, orderEndpoints, type TikTokOrder } from './orders';
import { queueOrder } from './rateBudget';

const getOrderDetail = orderEndpoints.getOrderDetail;

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
  /** The latest caller's (a re-authorized shop's new cipher is used from the next call on). */
  shop: ShopRef;
  waiting: Waiter[];
  /** Deadlines (ms, Infinity for none) of the calls waiting for their token; new reads join them. */
  forming: number[];
}

// A call can form for each more urgent read that arrives while others wait (a hand-off joining a call formed for a
// read due in days would wait behind that deadline in the shared budget); bounded, since each spends a token.
const MAX_FORMING_CALLS = 4;

// Failures that may come from one order of the call (a malformed order in the response, an id TikTok refuses): the
// call's reads are then made one by one, so one order cannot fail the others.
const PER_ORDER_FAILURES: readonly string[] = [
  TikTokInvalidRequest.FAILURE_TYPE,
  TikTokNotFound.FAILURE_TYPE,
  TikTokResponseInvalid.FAILURE_TYPE,
  TikTokApiError.FAILURE_TYPE,
];

/** Deadline first (none last), then arrival: the budget's own order. */
const byDeadline: (a: Waiter, b: Waiter) => number = queueOrder;

const dateOf = (deadline: number | null) =>
  deadline === null || deadline === Infinity ? undefined : new Date(deadline);

export function createOrderDetailReader(client: TikTokClient, opts: { maxIds?: number } = {}): OrderDetailReader {
  const maxIds = Math.max(1, Math.min(opts.maxIds ?? ORDER_DETAIL_MAX_IDS, ORDER_DETAIL_MAX_IDS));
  const shops = new Map<string, ShopQueue>();
  let seq = 0;

  /** Starts a call for the most urgent waiting read unless one is already forming with that deadline or sooner. */
  function ensureForming(queue: ShopQueue): void {
    if (queue.waiting.length === 0) return;
    const head = queue.waiting.reduce((a, b) => (byDeadline(a, b) <= 0 ? a : b));
    const due = head.deadline ?? Infinity;
    if (queue.forming.length >= MAX_FORMING_CALLS || queue.forming.some((d) => d <= due)) return;
    queue.forming.push(due);
    // A call shared by many reads: no one activity's cancellation or heartbeat applies to it.
    void detachedFromActivity(() => formCall(queue, due));
  }

  /** Waits for a token with `due` as its deadline, then sends the call with the waiters it can carry. */
  async function formCall(queue: ShopQueue, due: number): Promise<void> {
    const shopId = queue.shop.shopId;
    let reserveError: unknown;
    try {
      const { method, path } = getOrderDetail;
      await client.reserve({ method, path, shopId, deadline: dateOf(due) });
    } catch (err) {
      reserveError = err;
    }
    queue.forming.splice(queue.forming.indexOf(due), 1);
    if (reserveError !== undefined) {
      // The budget itself failed (closed, database down): nobody's call can go out through it.
      for (const w of queue.waiting.splice(0)) w.reject(reserveError);
    }
    // The most urgent ids that fit, and every other read of those ids.
    queue.waiting.sort(byDeadline);
    const ids = new Set<string>();
    const batch: Waiter[] = [];
    const left: Waiter[] = [];
    for (const w of queue.waiting) {
      if (ids.size < maxIds) ids.add(w.orderId);
      (ids.has(w.orderId) ? batch : left).push(w);
    }
    queue.waiting = left;
    ensureForming(queue); // the next call waits for its token while this one is on the wire
    if (queue.waiting.length === 0 && queue.forming.length === 0) shops.delete(shopId);
    if (batch.length === 0) return; // a more urgent call took them all: this token goes unused
    const deadline = dateOf(batch[0]!.deadline);
    try {
      const orders = await callEndpoint(
        client,
        getOrderDetail,
        queue.shop,
        { ids: [...ids] },
        { deadline, tokenReserved: true },
      );
      settle(batch, orders);
    } catch (err) {
      if (ids.size > 1 && err instanceof TikTokFailure && PER_ORDER_FAILURES.includes(err.type ?? '')) {
        await Promise.all([...ids].map((id) => readAlone(queue.shop, id, batch)));
      } else {
        for (const w of batch) w.reject(err);
      }
    }
  }

  async function readAlone(shop: ShopRef, orderId: string, batch: Waiter[]): Promise<void> {
    const mine = batch.filter((w) => w.orderId === orderId);
    try {
      const deadline = dateOf(mine[0]!.deadline);
      settle(mine, await callEndpoint(client, getOrderDetail, shop, { ids: [orderId] }, { deadline }));
    } catch (err) {
      for (const w of mine) w.reject(err);
    }
  }

  function settle(waiters: Waiter[], orders: TikTokOrder[]): void {
    const byId = new Map(orders.map((o) => [o.id, o]));
    for (const w of waiters) w.resolve(byId.get(w.orderId));
  }

  return {
    read(shop, orderId, readOpts = {}) {
      return new Promise<TikTokOrder | undefined>((resolve, reject) => {
        // A malformed id is refused here, alone, instead of failing the call it would have joined.
        parseInput(getOrderDetail.query, { ids: [orderId] }, getOrderDetail.method, getOrderDetail.path);
        let queue = shops.get(shop.shopId);
        if (!queue) {
          queue = { shop, waiting: [], forming: [] };
          shops.set(shop.shopId, queue);
        }
        queue.shop = shop;
        const deadline = readOpts.deadline ? readOpts.deadline.getTime() : null;
        queue.waiting.push({ orderId, deadline, seq: seq++, resolve, reject });
        ensureForming(queue);
      });
    },
  };
}
