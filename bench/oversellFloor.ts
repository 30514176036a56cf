/**
 * The oversell an ideal feed cannot avoid in a sale plan: a discrete-event replay of the plan where TikTok's quantity
 * is set to on-hand − units TikTok sold and not shipped − safety buffer the instant the other channel sells, and every
 * order is handed to the warehouse exactly when its remorse window ends. What remains is the scenario's floor, so the
 * measured figure can be read against it (0 means the target is reachable at all).
 */
import { hashUnit, SAFETY_BUFFER, type SalePlan } from './flashSaleWorld';

export interface FloorOptions {
  /** Placement → hand-off (the remorse window for an ideal system). */
  handOffMs: number;
  /** Hand-off → shipped is drawn uniformly from [0, shipDelayMaxMs) per order. */
  shipDelayMaxMs: number;
  /** Whether the other channel may take units allocated to handed-off orders (a shelf without a warehouse system). */
  otherTakesAllocated: boolean;
}

interface SkuState {
  stock: number;
  onHand: number;
  allocated: number;
  unshipped: number;
  available: number;
  sold: number;
  otherSold: number;
}

type SimEvent = { at: number; order: number; kind: 'order' | 'other' | 'handoff' | 'ship'; sku: string; n: number };

/** Units sold on TikTok beyond physical stock, summed over SKUs, for an ideal zero-lag feed. */
export function oversellFloor(plan: SalePlan, opts: FloorOptions): number {
  const skus = new Map<string, SkuState>(
    plan.skus.map((s) => [
      s.sellerSku,
      {
        stock: s.stock,
        onHand: s.stock,
        allocated: 0,
        unshipped: 0,
        available: Math.max(0, s.stock - SAFETY_BUFFER),
        sold: 0,
        otherSold: 0,
      },
    ]),
  );
  // Kind order breaks ties at the same instant the way the sale does (events in plan order, consequences after).
  const rank = { order: 0, other: 0, handoff: 1, ship: 2 } as const;
  const queue: SimEvent[] = [];
  let n = 0;
  const push = (e: Omit<SimEvent, 'n'>) => {
    const ev = { ...e, n: n++ };
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = queue[mid]!;
      const before =
        q.at < ev.at ||
        (q.at === ev.at && (rank[q.kind] < rank[ev.kind] || (rank[q.kind] === rank[ev.kind] && q.n < ev.n)));
      if (before) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, ev);
  };
  const merged = [
    ...plan.orders.map((o, i) => ({ at: o.at, order: i, kind: 'order' as const, sku: o.sellerSku })),
    ...plan.otherChannel.map((o) => ({ at: o.at, order: -1, kind: 'other' as const, sku: o.sellerSku })),
  ].sort((a, b) => a.at - b.at);
  for (const e of merged) push(e);

  while (queue.length > 0) {
    const e = queue.shift()!;
    const s = skus.get(e.sku)!;
    switch (e.kind) {
      case 'order':
        if (s.available <= 0) break;
        s.available -= 1;
        s.sold += 1;
        s.unshipped += 1;
        push({ at: e.at + opts.handOffMs, order: e.order, kind: 'handoff', sku: e.sku });
        break;
      case 'handoff':
        s.allocated += 1;
        push({
          at: e.at + Math.floor(hashUnit(`${plan.seed}:${e.order}`) * opts.shipDelayMaxMs),
          order: e.order,
          kind: 'ship',
          sku: e.sku,
        });
        break;
      case 'ship':
        s.onHand -= 1;
        s.allocated -= 1;
        s.unshipped -= 1;
        break;
      case 'other':
        if (s.onHand - (opts.otherTakesAllocated ? 0 : s.allocated) <= 0) break;
        s.onHand -= 1;
        s.otherSold += 1;
        s.available = Math.max(0, s.onHand - s.unshipped - SAFETY_BUFFER);
        break;
    }
  }
  let over = 0;
  for (const s of skus.values()) over += Math.max(0, s.sold - (s.stock - s.otherSold));
  return over;
}
