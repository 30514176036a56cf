/**
 * The world of the returns benchmark, shared by both systems under test: one TikTok Shop emulator with two shops (ours
 * and the polling baseline's, so neither sees the other's requests), the plan of return requests (types, values,
 * reasons, the simulated person's answers, the buyers' parcels, all from one seed), the buyer who ships parcels back,
 * and the figures, read from the emulator's own record (Get Return Records steps, the mutation record, the webhook
 * delivery log) rather than from either system.
 *
 * Time: one compression factor C applies to every interval. The emulator's business clock runs at real speed, so a
 * business interval of d is configured as d / C real milliseconds: TikTok's 48-hour response window, the webhook retry
 * schedule, the shop's escalation offsets and reconciliation interval, the person's answer times, the baseline's
 * 15-minute poll. Figures are reported in business time (wall × C) and wall time.
 */
import { startTikTokShopEmulator, type RunningEmulator } from '../emulators/tiktok-shop/server';
import { emulatorAdminClient, percentile } from './lib';
import { rng, sleep } from './flashSaleWorld';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** TikTok's response window for a return or refund request (help.commentsold.com "How Returns Work with TikTok"). */
export const RESPONSE_WINDOW_MS = 48 * HOUR;

/** The reason the shop's low-value refund automation lists; the other reason always goes to a person. */
export const AUTO_REASON = 'ecom_order_delivered_refund_reason_missing_parts';
export const PERSON_REASON = 'ecom_order_delivered_refund_and_return_reason_damaged_product';
/** An emulator reject reason (emulators/tiktok-shop/returns.ts RETURN_REJECT_REASONS). */
export const REJECT_REASON = 'seller_reject_return_product_used';
/** The shop's automation limit and the two prices: the low one under it, the high one over it. */
export const AUTO_LIMIT = '20.00';
export const LOW_PRICE = '9.99';
export const HIGH_PRICE = '89.00';

/** A PNG header the emulator and the file store read as an 800×800 image: the evidence photo of a rejection. */
export function evidencePng(): Buffer {
  const b = Buffer.alloc(33);
  b.writeUInt32BE(0x89504e47, 0);
  b.writeUInt32BE(0x0d0a1a0a, 4);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(800, 16);
  b.writeUInt32BE(800, 20);
  return b;
}

export type CaseKind = 'auto' | 'person' | 'shipBack';

/** One return request of the plan, opened the same way in both shops. */
export interface PlannedReturn {
  index: number;
  /** Wall ms from the start of the opening phase. */
  at: number;
  kind: CaseKind;
  type: 'REFUND' | 'RETURN_AND_REFUND';
  price: 'low' | 'high';
  reason: string;
  /** The person's decision on the request (auto cases: none). */
  decision: 'approve' | 'reject';
  /** Business ms from the moment the person can see the request to their answer. */
  answerDelayMs: number;
  /**
   * A person who lets it slide: the natural answer time is past the deadline, so only a page brings the answer in
   * time (they answer `pagedDelayMs` after being paged).
   */
  slow: boolean;
  pagedDelayMs: number;
  /** shipBack: business ms after the seller's approval until the buyer's parcel is registered. */
  shipBackDelayMs: number;
  /** shipBack: business ms from the parcel being visible to the person confirming receipt. */
  receiveDelayMs: number;
}

export interface ReturnsParams {
  seed: number;
  /** Business time / wall time. */
  compression: number;
  returns: number;
  /** Wall ms over which the requests are opened. */
  openOverMs: number;
  /** Share of RETURN_STATUS_CHANGE notifications dropped (seeded). */
  dropFraction: number;
  /** Mix: shares of auto-approvable requests and of requests where the buyer ships back (the rest: person). */
  autoShare: number;
  shipBackShare: number;
  /** Share of person-decided requests rejected, and of persons who answer only when paged. */
  rejectShare: number;
  slowShare: number;
  /** The person's answer times (business hours after seeing the request or the parcel) and the buyers' ship-back. */
  answerMaxHours: number;
  shipBackMaxHours: number;
  quick: boolean;
}

/** The full run (1,000 over 10 minutes at C = 720: 48 h → 240 s) and the quick one of `npm test`. */
export function returnsParams(opts: { quick: boolean; seed?: number; compression?: number }): ReturnsParams {
  return opts.quick
    ? {
        seed: opts.seed ?? 7,
        // 48 h → 16 s: the quick run opens 60 requests over 12 s and ends within a minute.
        compression: opts.compression ?? 10_800,
        returns: 60,
        openOverMs: 12_000,
        dropFraction: 0.1,
        autoShare: 0.4,
        shipBackShare: 0.15,
        rejectShare: 0.15,
        // A page 1 h before the deadline is 0.3 s of wall time here: too close to the machinery's own latency to
        // measure the person's reaction, so the quick run has no slow persons (the full run does).
        slowShare: 0,
        // Wall margins of seconds, not milliseconds, on a shared machine: answers within 24 h, parcels within 6 h.
        answerMaxHours: 24,
        shipBackMaxHours: 6,
        quick: true,
      }
    : {
        seed: opts.seed ?? 7,
        compression: opts.compression ?? 720,
        returns: 1000,
        openOverMs: 10 * 60_000,
        dropFraction: 0.1,
        autoShare: 0.4,
        shipBackShare: 0.15,
        rejectShare: 0.15,
        slowShare: 0.1,
        answerMaxHours: 36,
        shipBackMaxHours: 24,
        quick: false,
      };
}

/** The plan: the same seed gives the same requests, answers and parcels. */
export function makeReturnsPlan(params: ReturnsParams): PlannedReturn[] {
  const r = rng(params.seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * r();
  return Array.from({ length: params.returns }, (_, index) => {
    const x = r();
    const kind: CaseKind =
      x < params.autoShare ? 'auto' : x < params.autoShare + params.shipBackShare ? 'shipBack' : 'person';
    const highRefund = kind === 'person' && r() < 0.5;
    const slow = kind !== 'auto' && r() < params.slowShare;
    return {
      index,
      at: Math.round(((index + r()) / params.returns) * params.openOverMs),
      kind,
      // person: half are refunds over the automation limit, half returns; shipBack: returns the person approves.
      type: kind === 'auto' || highRefund ? 'REFUND' : 'RETURN_AND_REFUND',
      price: kind === 'auto' ? 'low' : highRefund ? 'high' : r() < 0.5 ? 'low' : 'high',
      reason: kind === 'auto' ? AUTO_REASON : PERSON_REASON,
      decision: kind === 'person' && r() < params.rejectShare ? 'reject' : 'approve',
      // Up to 36 h (full run): answered with 12 h to spare; slow persons would answer 2–12 h after the deadline.
      answerDelayMs: slow ? between(50, 60) * HOUR : between(0.5, params.answerMaxHours) * HOUR,
      slow,
      pagedDelayMs: between(5, 20) * MINUTE,
      shipBackDelayMs: between(2, params.shipBackMaxHours) * HOUR,
      receiveDelayMs: between(0.5, params.answerMaxHours) * HOUR,
    };
  });
}

export interface ReturnsWorld {
  emulator: RunningEmulator;
  admin(path: string, body?: unknown): Promise<any>;
  /** shop → its two SKUs (low and high price). */
  skus: Map<string, { low: string; high: string }>;
  close(): Promise<void>;
}

/**
 * The emulator of the run: TikTok's windows divided by C, webhook retries likewise, the seeded drop of
 * RETURN_STATUS_CHANGE switched on. Shops are added with `addShop` (ours first: the consent page authorizes the first
 * seeded seller).
 */
export async function startReturnsWorld(
  params: ReturnsParams,
  apps: { appKey: string; appSecret: string; redirectUrl?: string }[],
): Promise<ReturnsWorld> {
  const c = params.compression;
  const emulator = await startTikTokShopEmulator({
    port: 0,
    apps: apps.map((a) => ({ ...a, serviceId: a.appKey })),
    allowLoopbackWebhookHttp: true,
    seed: params.seed,
    rules: {
      returnResponseWindowMs: Math.round(RESPONSE_WINDOW_MS / c),
      // The buyer's 10 days to escalate and the 14 days to COMPLETED, compressed like everything else.
      arbitrationEscalationWindowMs: Math.round((10 * 24 * HOUR) / c),
      completeAfterDeliveryMs: Math.round((14 * 24 * HOUR) / c),
    },
    tickIntervalMs: 20,
    webhookRetryTimeScale: 1 / c,
  });
  const admin = emulatorAdminClient(emulator.url);
  await admin('/faults', {
    webhooks: { dropByEvent: { RETURN_STATUS_CHANGE: { fraction: params.dropFraction, seed: params.seed } } },
  });
  return { emulator, admin, skus: new Map(), close: () => emulator.close() };
}

/** Seeds a shop (own seller, one warehouse, a low- and a high-priced SKU with stock for every request). */
export async function addShop(
  world: ReturnsWorld,
  name: string,
  opts: { authorizeApps: boolean },
): Promise<{ shopId: string; openId: string }> {
  const seeded = await world.admin('/shops', {
    name,
    region: 'US',
    seller_name: `${name} Seller`,
    warehouses: 1,
    authorize_apps: opts.authorizeApps,
  });
  const shopId: string = seeded.shop.id;
  const warehouseId: string = seeded.warehouses[0].id;
  const product = await world.admin('/products', {
    shop_id: shopId,
    product: {
      title: `${name} Serum`,
      skus: [
        { seller_sku: 'SERUM-MINI', price: LOW_PRICE, inventory: [{ warehouse_id: warehouseId, quantity: 50_000 }] },
        { seller_sku: 'SERUM-KIT', price: HIGH_PRICE, inventory: [{ warehouse_id: warehouseId, quantity: 50_000 }] },
      ],
    },
  });
  const [low, high] = product.product.skus.map((s: { id: string }) => s.id) as [string, string];
  world.skus.set(shopId, { low, high });
  return { shopId, openId: seeded.seller.openId };
}

/** Opens the plan's requests at their times in every given shop (one bulk call per shop and tick). */
export async function openReturns(
  world: ReturnsWorld,
  plan: PlannedReturn[],
  shopIds: string[],
  onOpened: (shopId: string, returnId: string, planned: PlannedReturn) => void,
): Promise<void> {
  const start = Date.now();
  let next = 0;
  while (next < plan.length) {
    const now = Date.now() - start;
    const due: PlannedReturn[] = [];
    while (next < plan.length && plan[next]!.at <= now) due.push(plan[next++]!);
    for (const shopId of due.length > 0 ? shopIds : []) {
      const skus = world.skus.get(shopId)!;
      const res = await world.admin('/returns/bulk', {
        shop_id: shopId,
        returns: due.map((d) => ({ sku_id: skus[d.price], return_type: d.type, reason: d.reason })),
      });
      if (res.refused.length > 0) throw new Error(`returns refused: ${JSON.stringify(res.refused)}`);
      for (const o of res.opened as { index: number; return_id: string }[])
        onOpened(shopId, o.return_id, due[o.index]!);
    }
    await sleep(Math.min(100, Math.max(0, (plan[next]?.at ?? 0) - (Date.now() - start))));
  }
}

/**
 * The buyers of shipBack requests: once the seller approved the return (AWAITING_BUYER_SHIP), the parcel is
 * registered `shipBackDelayMs / C` later. Reads the emulator's state in process; stops with `stop()`.
 */
export function startBuyers(
  world: ReturnsWorld,
  params: ReturnsParams,
  planOf: (returnId: string) => PlannedReturn | undefined,
): { stop(): Promise<void>; shipped: number } {
  const due = new Map<string, number>();
  let stopped = false;
  const out: { shipped: number; stop(): Promise<void> } = { shipped: 0, stop: () => Promise.resolve() };
  const loop = async () => {
    while (!stopped) {
      for (const r of world.emulator.state.returns.values()) {
        if (r.status !== 'AWAITING_BUYER_SHIP' || planOf(r.id)?.kind !== 'shipBack') continue;
        if (!due.has(r.id)) due.set(r.id, Date.now() + planOf(r.id)!.shipBackDelayMs / params.compression);
        if (due.get(r.id)! <= Date.now()) {
          due.delete(r.id);
          await world.admin(`/returns/${r.id}/buyer-ship`, {});
          out.shipped++;
        }
      }
      await sleep(50);
    }
  };
  const running = loop();
  out.stop = async () => {
    stopped = true;
    await running;
  };
  return out;
}

/** A seller action TikTok waited for: opened by a request or a parcel, closed by the seller or by the platform. */
interface ActionInstance {
  returnId: string;
  kind: CaseKind;
  openedAt: number;
  openedRealAt: number;
  closedBy: 'SELLER' | 'SYSTEM' | null;
  closedAt: number | null;
  closedRealAt: number | null;
}

export interface ReturnsFigures {
  system: string;
  returns: number;
  /** Seller actions TikTok waited for (a request, a returned parcel). */
  actions: number;
  decidedInTime: number;
  /** Approved by the platform because nobody answered in time. */
  autoApprovedByPlatform: number;
  /** Still waiting at the end of the run. */
  undecided: number;
  /** (return, decision) pairs sent more than once (not counting idempotent replays). */
  decisionsSentTwice: number;
  latency: {
    business: { p50Hours: number; p99Hours: number };
    wall: { p50Ms: number; p99Ms: number };
    byKind: Record<string, { n: number; p50Hours: number; p99Hours: number }>;
  };
  webhooks: { sent: number; dropped: number; returnsWithDrop: number; thoseDecidedInTime: number } | null;
  /** Counts by final status. */
  endStates: Record<string, number>;
  notes: string[];
}

const PENDING_STATUSES = new Set([
  'RETURN_OR_REFUND_REQUEST_PENDING',
  'REPLACEMENT_REQUEST_PENDING',
  'BUYER_SHIPPED_ITEM',
]);
const DECISION_ACTIONS = new Set(['approve_return', 'reject_return']);

/** The figures of one shop, from the emulator's record only. */
export function returnsFigures(
  world: ReturnsWorld,
  system: string,
  shopId: string,
  params: ReturnsParams,
  planOf: (returnId: string) => PlannedReturn | undefined,
  opts: { webhooks: boolean },
): ReturnsFigures {
  const state = world.emulator.state;
  const returns = [...state.returns.values()].filter((r) => r.shopId === shopId);
  const instances: ActionInstance[] = [];
  const endStates: Record<string, number> = {};
  for (const r of returns) {
    endStates[r.status] = (endStates[r.status] ?? 0) + 1;
    let open: ActionInstance | null = null;
    for (const step of r.records) {
      if (open && step.decision !== null && (step.role === 'SELLER' || step.role === 'SYSTEM')) {
        open.closedBy = step.role;
        open.closedAt = step.at;
        open.closedRealAt = step.realAt;
        open = null;
      }
      if (PENDING_STATUSES.has(step.status) && step.arbitrationStatus === null && !open) {
        open = {
          returnId: r.id,
          kind: planOf(r.id)?.kind ?? 'person',
          openedAt: step.at,
          openedRealAt: step.realAt,
          closedBy: null,
          closedAt: null,
          closedRealAt: null,
        };
        instances.push(open);
      }
    }
  }
  const bySeller = instances.filter((i) => i.closedBy === 'SELLER');
  const c = params.compression;
  // The emulator's business clock runs at wall speed: business time = its interval × C.
  const business = bySeller.map((i) => (i.closedAt ?? 0) - i.openedAt).sort((a, b) => a - b);
  const wall = bySeller.map((i) => (i.closedRealAt ?? 0) - i.openedRealAt).sort((a, b) => a - b);
  const hours = (ms: number) => (ms * c) / HOUR;
  const byKind: ReturnsFigures['latency']['byKind'] = {};
  for (const kind of ['auto', 'person', 'shipBack']) {
    const l = bySeller
      .filter((i) => i.kind === kind)
      .map((i) => (i.closedAt ?? 0) - i.openedAt)
      .sort((a, b) => a - b);
    byKind[kind] = { n: l.length, p50Hours: hours(percentile(l, 50)), p99Hours: hours(percentile(l, 99)) };
  }
  // Decisions sent twice: calls that reached TikTok's handler (applied, or refused on the business state) for the
  // same return and decision, other than idempotent replays of the first.
  const sends = new Map<string, number>();
  for (const m of state.mutations) {
    if (m.shopId !== shopId || !DECISION_ACTIONS.has(m.action) || m.replayOf !== null) continue;
    if (!m.applied && !(m.code >= 25_000_000 && m.code < 26_000_000)) continue;
    const key = `${m.returnIds[0] ?? m.path}|${m.decision}`;
    sends.set(key, (sends.get(key) ?? 0) + 1);
  }
  const twice = [...sends.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
  let webhooks: ReturnsFigures['webhooks'] = null;
  if (opts.webhooks) {
    const ofShop = world.emulator.platform.webhooks.log.filter(
      (d) => d.shopId === shopId && d.eventType === 'RETURN_STATUS_CHANGE',
    );
    const dropped = ofShop.filter((d) => d.state === 'dropped_by_fault');
    // A drop matters when it hid a request or a parcel the seller had to answer.
    const hidden = new Set(
      dropped
        .map((d) => (JSON.parse(d.body) as { data: { return_id: string; return_status: string } }).data)
        .filter((d) => PENDING_STATUSES.has(d.return_status))
        .map((d) => d.return_id),
    );
    const inTime = [...hidden].filter((id) =>
      instances.filter((i) => i.returnId === id).every((i) => i.closedBy === 'SELLER'),
    ).length;
    webhooks = {
      sent: ofShop.length,
      dropped: dropped.length,
      returnsWithDrop: hidden.size,
      thoseDecidedInTime: inTime,
    };
  }
  return {
    system,
    returns: returns.length,
    actions: instances.length,
    decidedInTime: bySeller.length,
    autoApprovedByPlatform: instances.filter((i) => i.closedBy === 'SYSTEM').length,
    undecided: instances.filter((i) => i.closedBy === null).length,
    decisionsSentTwice: twice,
    latency: {
      business: { p50Hours: hours(percentile(business, 50)), p99Hours: hours(percentile(business, 99)) },
      wall: { p50Ms: percentile(wall, 50), p99Ms: percentile(wall, 99) },
      byKind,
    },
    webhooks,
    endStates,
    notes: [],
  };
}

/** Waits until every seller action of the shops is closed and every parcel sent (or `timeoutMs` passes). */
export async function untilSettled(
  world: ReturnsWorld,
  shopIds: string[],
  expected: number,
  planOf: (returnId: string) => PlannedReturn | undefined,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rs = [...world.emulator.state.returns.values()].filter((r) => shopIds.includes(r.shopId));
    // A buyer of a shipBack request still has a parcel to send; other approved returns are never shipped here.
    const open = rs.some(
      (r) => r.nextAction !== null || (r.status === 'AWAITING_BUYER_SHIP' && planOf(r.id)?.kind === 'shipBack'),
    );
    if (rs.length >= expected && !open) return true;
    await sleep(200);
  }
  return false;
}

/** The seller action a person answers, and the answer the plan gives them. */
export interface PersonAnswer {
  returnId: string;
  action: string;
  decision: 'approve' | 'reject';
}

/**
 * The simulated person, the same for both systems: a request is answered `answerDelayMs / C` after the person can
 * first see it (a returned parcel: `receiveDelayMs / C`); a slow person answers only `pagedDelayMs / C` after a page
 * (a critical escalation naming the return). What "can see" means is the system's: ours shows a human step, the
 * baseline shows what its last poll found.
 */
export class SimulatedPerson {
  private readonly open = new Map<string, { answerAt: number; planned: PlannedReturn; action: string }>();
  private readonly answered = new Set<string>();
  pages = 0;

  constructor(
    private readonly compression: number,
    private readonly planOf: (returnId: string) => PlannedReturn | undefined,
  ) {}

  /** The person sees a pending action (again: nothing changes). */
  see(returnId: string, action: string, now = Date.now()): void {
    const key = `${returnId}|${action}`;
    const planned = this.planOf(returnId);
    if (!planned || this.open.has(key) || this.answered.has(key)) return;
    const receive = action === 'SELLER_RESPOND_RECEIVE_PACKAGE';
    const delay = receive ? planned.receiveDelayMs : planned.answerDelayMs;
    this.open.set(key, { answerAt: now + delay / this.compression, planned, action });
  }

  /** A page naming the return reaches the person: a slow one now answers soon. */
  paged(returnId: string, now = Date.now()): void {
    for (const [key, item] of this.open) {
      if (!key.startsWith(`${returnId}|`)) continue;
      this.pages++;
      item.answerAt = Math.min(item.answerAt, now + item.planned.pagedDelayMs / this.compression);
    }
  }

  /** Answers due now; each is handed out once (`retry` puts one back after a failed send). */
  due(now = Date.now()): PersonAnswer[] {
    const out: PersonAnswer[] = [];
    for (const [key, item] of this.open) {
      if (item.answerAt > now) continue;
      this.open.delete(key);
      this.answered.add(key);
      const receive = item.action === 'SELLER_RESPOND_RECEIVE_PACKAGE';
      out.push({
        returnId: key.slice(0, key.indexOf('|')),
        action: item.action,
        decision: receive ? 'approve' : item.planned.decision,
      });
    }
    return out;
  }

  retry(a: PersonAnswer, inMs: number): void {
    const key = `${a.returnId}|${a.action}`;
    const planned = this.planOf(a.returnId);
    if (!planned) return;
    this.answered.delete(key);
    this.open.set(key, { answerAt: Date.now() + inMs, planned, action: a.action });
  }
}
