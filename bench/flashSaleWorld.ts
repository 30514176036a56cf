/**
 * The world of the flash-sale benchmark, shared by every system under test: the TikTok Shop emulator (in-process,
 * real-speed business clock), the sale plan (SKUs, stock, order schedule, other-channel sales, from one seed), the
 * warehouse simulator (ships each handed-off order after a random delay), the "other channel" (sells from the same
 * physical stock), an observer of what TikTok shows, and the figures computed from the emulator's record.
 */
import crypto from 'node:crypto';
import { startTikTokShopEmulator, type RunningEmulator } from '../emulators/tiktok-shop/server';
import { ROUTES } from '../emulators/tiktok-shop/routes';
import { emulatorAdminClient, percentile } from './lib';
import type { WarehouseEvent, WarehouseEventKind } from './oversellAccount';

export const SAFETY_BUFFER = 2;
/** The emulator's buyer-remorse window in every scenario (the 10 s); the product is configured to match. */
export const REMORSE_WINDOW_MS = 10_000;

/** mulberry32: the same seed gives the same plan. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [0, 1) from a string (per-order shipping delays that do not depend on arrival order). */
export function hashUnit(text: string): number {
  return crypto.createHash('sha256').update(text).digest().readUInt32BE(0) / 4294967296;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export interface PlanSku {
  sellerSku: string;
  parentKey: string;
  /** Physical units in the warehouse at the start. */
  stock: number;
  weight: number;
}

export interface SalePlan {
  seed: number;
  skus: PlanSku[];
  /** Offsets (ms from the start of the sale) and the SKU of each order. */
  orders: { at: number; sellerSku: string }[];
  /** Offsets and SKU of each unit sold by the other channel (20% of each SKU's stock). */
  otherChannel: { at: number; sellerSku: string }[];
  durationMs: number;
}

/**
 * SKUs with skewed popularity (Zipf-like, shuffled), each stocked with 60–100% of its expected demand (at least 5
 * units) so most sell out mid-sale; orders spread over the sale; the other channel sells 20% of each SKU's stock at
 * random times in the first 80% of the sale.
 */
export function makePlan(opts: { seed: number; skus: number; orders: number; durationMs: number }): SalePlan {
  const r = rng(opts.seed);
  const weights = Array.from({ length: opts.skus }, (_, i) => 1 / Math.pow(i + 1, 0.8));
  for (let i = weights.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [weights[i], weights[j]] = [weights[j]!, weights[i]!];
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const skus: PlanSku[] = weights.map((w, i) => {
    const demand = (opts.orders * w) / total;
    return {
      sellerSku: `FS-${String(i + 1).padStart(3, '0')}`,
      parentKey: `FSP-${String(Math.floor(i / 2) + 1).padStart(3, '0')}`,
      stock: Math.max(5, Math.round(demand * (0.6 + 0.4 * r()))),
      weight: w / total,
    };
  });
  const pick = () => {
    let x = r();
    for (const s of skus) {
      x -= s.weight;
      if (x <= 0) return s.sellerSku;
    }
    return skus.at(-1)!.sellerSku;
  };
  const orders = Array.from({ length: opts.orders }, (_, k) => ({
    at: Math.round(((k + r()) / opts.orders) * opts.durationMs),
    sellerSku: pick(),
  }));
  const otherChannel = skus
    .flatMap((s) =>
      Array.from({ length: Math.round(s.stock * 0.2) }, () => ({
        at: Math.round(r() * opts.durationMs * 0.8),
        sellerSku: s.sellerSku,
      })),
    )
    .sort((a, b) => a.at - b.at);
  return { seed: opts.seed, skus, orders, otherChannel, durationMs: opts.durationMs };
}

export interface EmulatorWorld {
  emulator: RunningEmulator;
  shopId: string;
  warehouseId: string;
  /** seller_sku → TikTok ids. */
  tiktok: Map<string, { skuId: string; productId: string }>;
  admin(path: string, body?: unknown): Promise<any>;
  /** Body of every applied Update Inventory call, by the mutation's `seq` in the emulator record. */
  inventorySets: Map<number, { skuId: string; quantity: number }[]>;
}

export interface EmulatorApp {
  appKey: string;
  appSecret: string;
  redirectUrl: string;
}

/**
 * A fresh emulator: 10 s remorse window, one shop with one warehouse, products of two variants each, TikTok showing
 * stock − safety buffer (what the feeds push at the start). Faults are switched on later, by `applyFaults`.
 */
export async function startWorld(plan: SalePlan, app: EmulatorApp): Promise<EmulatorWorld> {
  const emulator = await startTikTokShopEmulator({
    port: 0,
    apps: [{ ...app, serviceId: app.appKey }],
    allowLoopbackWebhookHttp: true,
    seed: plan.seed,
    rules: { remorseWindowMs: REMORSE_WINDOW_MS },
    tickIntervalMs: 100,
    // A lost webhook is lost for good within a run (retries after 2 min would hide the fault).
    webhookRetryDelaysMs: [],
  });
  const admin = emulatorAdminClient(emulator.url);
  const seeded = (await admin('/shops', {
    name: 'Flash Sale Beauty',
    region: 'US',
    seller_name: 'Flash Seller',
    warehouses: 1,
  })) as { shop: { id: string }; warehouses: { id: string }[] };
  const shopId = seeded.shop.id;
  const warehouseId = seeded.warehouses[0]!.id;
  const tiktok = new Map<string, { skuId: string; productId: string }>();
  const byParent = new Map<string, PlanSku[]>();
  for (const s of plan.skus) byParent.set(s.parentKey, [...(byParent.get(s.parentKey) ?? []), s]);
  for (const [parentKey, skus] of byParent) {
    const out = (await admin('/products', {
      shop_id: shopId,
      product: {
        title: `Flash ${parentKey}`,
        skus: skus.map((s) => ({
          seller_sku: s.sellerSku,
          price: '19.90',
          inventory: [{ warehouse_id: warehouseId, quantity: Math.max(0, s.stock - SAFETY_BUFFER) }],
        })),
      },
    })) as { product: { id: string; skus: { id: string; seller_sku: string }[] } };
    for (const s of out.product.skus) tiktok.set(s.seller_sku, { skuId: s.id, productId: out.product.id });
  }

  // The record has no quantities: keep the body of each applied Update Inventory by its record seq. The record is
  // created synchronously just before the handler runs (no injected latency here), so it is the last one.
  const inventorySets = new Map<number, { skuId: string; quantity: number }[]>();
  const route = ROUTES.find((r) => r.action === 'update_inventory');
  if (route && !(route as { benchWrapped?: boolean }).benchWrapped) {
    const original = route.handler;
    route.handler = (c) => {
      const out = original(c);
      const seq = c.p.state.mutations.at(-1)?.seq;
      const skus = Array.isArray(c.body.skus)
        ? (c.body.skus as { id?: string; inventory?: { quantity?: number }[] }[])
        : [];
      const sink = (c.p as { benchInventorySets?: typeof inventorySets }).benchInventorySets;
      if (seq !== undefined && sink) {
        sink.set(
          seq,
          skus.map((s) => ({
            skuId: String(s.id),
            quantity: (s.inventory ?? []).reduce((a, w) => a + Number(w.quantity ?? 0), 0),
          })),
        );
      }
      return out;
    };
    (route as { benchWrapped?: boolean }).benchWrapped = true;
  }
  (emulator.platform as { benchInventorySets?: typeof inventorySets }).benchInventorySets = inventorySets;
  return { emulator, shopId, warehouseId, tiktok, admin, inventorySets };
}

/** Webhooks duplicated (every one sent twice) and 2% dropped; 1% of mutating calls applied with the response lost. */
export async function applyFaults(world: EmulatorWorld): Promise<void> {
  await world.admin('/faults', {
    webhooks: { dropProbability: 0.02, duplicateProbability: 1 },
    responseLost: { probability: 0.01, mode: 'destroy' },
  });
}

/** The consent page: returns the redirect (callback URL with a single-use code). */
export async function consent(emulatorUrl: string, authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl.startsWith('http') ? authorizeUrl : `${emulatorUrl}${authorizeUrl}`, {
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`consent page answered ${res.status} without a redirect`);
  return new URL(location);
}

// ---------------------------------------------------------------------------------------------------------------
// Warehouse simulator and the other channel.

export interface ReceivedOrder {
  orderId: string;
  sellerSkus: string[];
  receivedAt: number;
}

export interface WarehouseHooks {
  /** The warehouse shipped the order: tell the system under test (retried by the warehouse while it throws). */
  shipped(orderId: string, trackingNumber: string): Promise<void>;
  /** A new absolute on-hand count for a SKU (sequence grows per SKU). */
  stockChanged(sellerSku: string, onHand: number, sequence: number, at: Date): Promise<void>;
}

/**
 * Physical stock and the warehouse's work: every order handed off is shipped after a delay in [0, maxDelayMs)
 * (per order id, from the seed), which lowers on-hand and sends a stock event; the shipment is reported to the
 * system under test, retried until accepted. Units of an order handed off and not yet shipped are allocated to it:
 * the other channel sells only unallocated units, as a warehouse system does (available to promise = on-hand −
 * allocated). Units TikTok sold but not yet handed off are not allocated: that gap is where oversell comes from.
 * The warehouse model now honours reservations, as the WMS contract defines them (integrations/wms.ts): an order's
 * hold counts its units out of available to promise until the hand-off converts it into the allocation (never
 * counted twice) or a release drops it; one hold per order id. The other channel's rules are otherwise unchanged.
 */
export class Warehouse {
  readonly onHand = new Map<string, number>();
  /** Units of handed-off orders not yet shipped, per SKU. */
  readonly allocated = new Map<string, number>();
  /** Units held by reservations of orders not yet handed off, per SKU; and each held order's SKUs. */
  readonly reservedUnits = new Map<string, number>();
  readonly reservations = new Map<string, string[]>();
  readonly otherSold = new Map<string, number>();
  readonly received = new Map<string, ReceivedOrder>();
  readonly shippedAt = new Map<string, number>();
  readonly reportedAt = new Map<string, number>();
  readonly reportFailures: string[] = [];
  private readonly sequence = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private stopped = false;
  /** Stock events the system under test answered with an error (kept to report). */
  stockEventErrors = 0;
  /** Every hold, release, hand-off, shipment and other-channel sale, in order (bench/oversellAccount.ts). */
  readonly journal: WarehouseEvent[] = [];

  constructor(
    private readonly plan: SalePlan,
    private readonly maxDelayMs: number,
    private readonly hooks: WarehouseHooks,
    private readonly log: (m: string) => void,
  ) {
    for (const s of plan.skus) {
      this.onHand.set(s.sellerSku, s.stock);
      this.otherSold.set(s.sellerSku, 0);
      this.sequence.set(s.sellerSku, 1);
    }
  }

  /** The initial counts (sequence 1). */
  async sendInitialCounts(): Promise<void> {
    for (const s of this.plan.skus) await this.hooks.stockChanged(s.sellerSku, s.stock, 1, new Date());
  }

  /** An order handed to the warehouse (a repeat is recognised by the order id). Returns false for a repeat. */
  /** A reservation: the order's units leave available to promise. A repeat, or an order already received, is a no-op. */
  reserve(orderId: string, sellerSkus: string[]): boolean {
    if (this.received.has(orderId) || this.reservations.has(orderId) || this.stopped) return false;
    this.reservations.set(orderId, [...sellerSkus]);
    for (const sku of sellerSkus) this.reservedUnits.set(sku, (this.reservedUnits.get(sku) ?? 0) + 1);
    for (const sku of sellerSkus) this.note('hold', sku, orderId);
    return true;
  }

  /** Drops the order's hold (cancelled before its hand-off). Returns false when it had none. */
  release(orderId: string): boolean {
    const skus = this.reservations.get(orderId);
    if (!skus) return false;
    this.reservations.delete(orderId);
    for (const sku of skus) this.reservedUnits.set(sku, (this.reservedUnits.get(sku) ?? 0) - 1);
    for (const sku of skus) this.note('release', sku, orderId);
    return true;
  }

  /** Units the other channel may sell: on-hand − allocated − reserved. */
  availableToPromise(sellerSku: string): number {
    return (
      (this.onHand.get(sellerSku) ?? 0) -
      (this.allocated.get(sellerSku) ?? 0) -
      (this.reservedUnits.get(sellerSku) ?? 0)
    );
  }

  receive(orderId: string, sellerSkus: string[], opts: { delayMs?: number } = {}): boolean {
    if (this.received.has(orderId) || this.stopped) return false;
    this.release(orderId); // the hold becomes the allocation below
    this.received.set(orderId, { orderId, sellerSkus, receivedAt: Date.now() });
    for (const sku of sellerSkus) this.allocated.set(sku, (this.allocated.get(sku) ?? 0) + 1);
    for (const sku of sellerSkus) this.note('handoff', sku, orderId);
    const delay = opts.delayMs ?? Math.floor(hashUnit(`${this.plan.seed}:${orderId}`) * this.maxDelayMs);
    this.later(delay, () => this.ship(orderId));
    return true;
  }

  private later(ms: number, fn: () => Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      const p = fn().catch((err: unknown) => this.log(`warehouse: ${(err as Error).message}`));
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }, ms);
    this.timers.add(t);
  }

  private async ship(orderId: string): Promise<void> {
    const order = this.received.get(orderId)!;
    this.shippedAt.set(orderId, Date.now());
    for (const sku of order.sellerSkus) {
      this.allocated.set(sku, (this.allocated.get(sku) ?? 0) - 1);
      await this.adjust(sku, -1, () => this.note('ship', sku, orderId));
    }
    const tracking = `1Z${crypto.createHash('sha1').update(orderId).digest('hex').slice(0, 16).toUpperCase()}`;
    const deadline = Date.now() + 5 * 60_000;
    let wait = 250;
    for (;;) {
      try {
        await this.hooks.shipped(orderId, tracking);
        this.reportedAt.set(orderId, Date.now());
        return;
      } catch (err) {
        if (this.stopped || Date.now() > deadline) {
          this.reportFailures.push(`${orderId}: ${(err as Error).message}`);
          return;
        }
        await sleep(wait);
        wait = Math.min(wait * 2, 5_000);
      }
    }
  }

  private note(kind: WarehouseEventKind, sellerSku: string, orderId?: string): void {
    this.journal.push({
      at: Date.now(),
      sellerSku,
      kind,
      ...(orderId === undefined ? {} : { orderId }),
      onHand: this.onHand.get(sellerSku) ?? 0,
      availableToPromise: this.availableToPromise(sellerSku),
    });
  }

  /** Changes on-hand (never below 0) and sends the new count; `noted` journals the change before the count goes out. */
  async adjust(sellerSku: string, delta: number, noted?: () => void): Promise<void> {
    const next = Math.max(0, (this.onHand.get(sellerSku) ?? 0) + delta);
    this.onHand.set(sellerSku, next);
    noted?.();
    const seq = (this.sequence.get(sellerSku) ?? 1) + 1;
    this.sequence.set(sellerSku, seq);
    try {
      await this.hooks.stockChanged(sellerSku, next, seq, new Date());
    } catch (err) {
      this.stockEventErrors += 1;
      this.log(`stock event ${sellerSku}: ${(err as Error).message}`);
    }
  }

  /** The other channel sells one unit neither allocated nor reserved (when there is one). Returns whether it sold. */
  async sellElsewhere(sellerSku: string): Promise<boolean> {
    if (this.availableToPromise(sellerSku) <= 0) return false;
    this.otherSold.set(sellerSku, (this.otherSold.get(sellerSku) ?? 0) + 1);
    await this.adjust(sellerSku, -1, () => this.note('other_sale', sellerSku));
    return true;
  }

  /** Shipments not yet reported. */
  get pending(): number {
    return this.received.size - this.reportedAt.size - this.reportFailures.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inflight]);
  }
}

/**
 * What TikTok shows, sampled every 100 ms from the emulator's state: for each SKU, when it first became unavailable
 * (available 0 or product not ACTIVATE) after a given instant.
 */
export class TikTokObserver {
  private readonly timer: NodeJS.Timeout;
  /** seller_sku → instants (ms) at which an unavailable state was seen, watched from `watch()` on. */
  private readonly watches = new Map<string, { from: number; seenAt?: number; alreadyOut: boolean }[]>();

  constructor(private readonly world: EmulatorWorld) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  unavailable(sellerSku: string): boolean {
    const ids = this.world.tiktok.get(sellerSku);
    if (!ids) return false;
    const product = this.world.emulator.state.products.get(ids.productId);
    const sku = this.world.emulator.state.skus.get(ids.skuId);
    if (!product || !sku) return false;
    if (product.status !== 'ACTIVATE') return true;
    let available = 0;
    for (const l of sku.inventory.values()) available += l.available;
    return available <= 0;
  }

  /** From now on, record when TikTok shows the SKU unavailable. */
  watch(sellerSku: string): void {
    const list = this.watches.get(sellerSku) ?? [];
    list.push({ from: Date.now(), alreadyOut: this.unavailable(sellerSku) });
    this.watches.set(sellerSku, list);
  }

  private sample(): void {
    const now = Date.now();
    for (const [sku, list] of this.watches) {
      const open = list.filter((w) => w.seenAt === undefined);
      if (open.length === 0) continue;
      if (this.unavailable(sku)) for (const w of open) w.seenAt = now;
    }
  }

  /** Latencies (ms) of watches where TikTok still showed stock at the event; `missed` = never shown unavailable. */
  latencies(): { latencies: number[]; missed: number; alreadyOut: number } {
    const latencies: number[] = [];
    let missed = 0;
    let alreadyOut = 0;
    for (const list of this.watches.values()) {
      for (const w of list) {
        if (w.alreadyOut) alreadyOut += 1;
        else if (w.seenAt === undefined) missed += 1;
        else latencies.push(w.seenAt - w.from);
      }
    }
    return { latencies: latencies.sort((a, b) => a - b), missed, alreadyOut };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The sale itself.

export interface PlacedOrder {
  orderId: string;
  sellerSku: string;
  placedAt: number;
}

export interface SaleOutcome {
  /** Orders the plan offered: placed + refused + placementErrors. */
  offered: number;
  placed: PlacedOrder[];
  refused: number;
  /** Placements answered with anything but an order or a 409 (sold out). */
  placementErrors: number;
  otherChannelSold: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Runs the plan on the real clock: orders through `POST /__admin/orders` (409 = sold out on TikTok), other-channel
 * sales through the warehouse. Before each other-channel sale that leaves nothing sellable (on-hand minus units of
 * TikTok orders not yet shipped ≤ the safety buffer), the observer starts watching the SKU.
 */
export async function runSale(
  world: EmulatorWorld,
  plan: SalePlan,
  warehouse: Warehouse,
  observer: TikTokObserver,
  log: (m: string) => void,
): Promise<SaleOutcome> {
  const events = [
    ...plan.orders.map((o) => ({ ...o, kind: 'order' as const })),
    ...plan.otherChannel.map((o) => ({ ...o, kind: 'other' as const })),
  ].sort((a, b) => a.at - b.at);
  const placed: PlacedOrder[] = [];
  const shippedUnits = () => {
    const m = new Map<string, number>();
    for (const p of placed) if (warehouse.shippedAt.has(p.orderId)) m.set(p.sellerSku, (m.get(p.sellerSku) ?? 0) + 1);
    return m;
  };
  let refused = 0;
  let placementErrors = 0;
  let offered = 0;
  let otherChannelSold = 0;
  const startedAt = Date.now();
  let lastReport = startedAt;
  const pending: Promise<void>[] = [];
  for (const e of events) {
    await sleep(startedAt + e.at - Date.now());
    if (e.kind === 'order') {
      const ids = world.tiktok.get(e.sellerSku)!;
      offered += 1;
      // Placement is sequential on TikTok's side; we do not wait for the answer before the next event.
      pending.push(
        world
          .admin('/orders', { shop_id: world.shopId, items: [{ sku_id: ids.skuId }], paid: true })
          .then(
            (o: { id: string }) => void placed.push({ orderId: o.id, sellerSku: e.sellerSku, placedAt: Date.now() }),
          )
          .catch((err: { status?: number; message: string }) => {
            if (err.status === 409) refused += 1;
            else {
              placementErrors += 1;
              log(`order placement failed: ${err.message}`);
            }
          }),
      );
    } else {
      const placedUnits = placed.filter((p) => p.sellerSku === e.sellerSku).length;
      const unshipped = placedUnits - (shippedUnits().get(e.sellerSku) ?? 0);
      const before = (warehouse.onHand.get(e.sellerSku) ?? 0) - unshipped;
      if (before - 1 <= SAFETY_BUFFER && before > SAFETY_BUFFER) observer.watch(e.sellerSku);
      pending.push(
        warehouse.sellElsewhere(e.sellerSku).then((sold) => {
          if (sold) otherChannelSold += 1;
        }),
      );
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      log(`sale: ${placed.length} placed, ${refused} refused, ${warehouse.received.size} handed off`);
    }
  }
  await Promise.all(pending);
  return { offered, placed, refused, placementErrors, otherChannelSold, startedAt, endedAt: Date.now() };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures from the emulator's record.

export interface RecordOrder {
  order_id: string;
  status: string;
  awaiting_shipment_at: number | null;
  transitions: { status: string; at_ms: number; real_at: string; cause: string }[];
}

export interface RecordMutation {
  seq: number;
  realTime: string;
  action: string;
  orderIds: string[];
  skuIds: string[];
  productIds: string[];
  applied: boolean;
  code: number;
  responseLost: boolean;
}

export interface EmulatorRecord {
  orders: RecordOrder[];
  mutations: RecordMutation[];
  summary: { rate_limited: Record<string, number> };
}

/** Calls the emulator refused with 36009002 (over TikTok's rate limit), in all and per API. */
export function rateLimited(record: EmulatorRecord): { total: number; byApi: Record<string, number> } {
  const byApi = record.summary.rate_limited;
  return { total: Object.values(byApi).reduce((a, b) => a + b, 0), byApi };
}

export const realAtOf = (o: RecordOrder, status: string): number | undefined => {
  const t = o.transitions.find((x) => x.status === status);
  return t ? Date.parse(t.real_at) : undefined;
};

/** Order-level actions: a second applied call for the same order and action is a duplicate. */
const ORDER_ACTIONS = new Set([
  'mark_package_as_shipped',
  'create_packages',
  'ship_package',
  'add_external_order_references',
  'approve_cancellation',
  'reject_cancellation',
  'cancel_order',
  'update_shipping_info',
]);

/** An inventory set applied after a newer one: SKU, quantity, when applied (emulator seq and time), its inferred version. */
export interface StaleSet {
  skuId: string;
  quantity: number;
  seq: number;
  appliedAt: string;
  version: number;
  /** The highest version applied before it. */
  highest: number;
}

export const describeStaleSet = (s: StaleSet): string =>
  `stale set: sku ${s.skuId} quantity ${s.quantity} applied seq ${s.seq} at ${s.appliedAt}, inferred version ${s.version} < ${s.highest} applied before`;

/**
 * Duplicates: (a) a second applied state-changing call for the same order and action; (b) an inventory set older than
 * one already applied: each applied Update Inventory (its quantities captured by seq) is matched to the system's own
 * version for that SKU and quantity (`versionOf`), and counted when its version is below the highest applied so far.
 */
export function duplicateMutations(
  record: EmulatorRecord,
  inventorySets: Map<number, { skuId: string; quantity: number }[]>,
  versionOf: (skuId: string, quantity: number, appliedAt: number) => number | undefined,
): {
  total: number;
  byAction: Record<string, number>;
  staleInventorySets: number;
  /** Each stale set, in the order applied. */
  staleSets: StaleSet[];
  lostResponses: number;
} {
  const byAction: Record<string, number> = {};
  const seen = new Set<string>();
  const applied = record.mutations.filter((m) => m.applied).sort((a, b) => a.seq - b.seq);
  for (const m of applied) {
    if (!ORDER_ACTIONS.has(m.action)) continue;
    for (const orderId of m.orderIds) {
      const key = `${m.action}|${orderId}`;
      if (seen.has(key)) byAction[m.action] = (byAction[m.action] ?? 0) + 1;
      seen.add(key);
    }
  }
  let stale = 0;
  const staleSets: StaleSet[] = [];
  const highest = new Map<string, number>();
  for (const m of applied) {
    if (m.action !== 'update_inventory') continue;
    for (const s of inventorySets.get(m.seq) ?? []) {
      const v = versionOf(s.skuId, s.quantity, Date.parse(m.realTime));
      if (v === undefined) continue;
      const top = highest.get(s.skuId) ?? -Infinity;
      if (v < top) {
        stale += 1;
        staleSets.push({
          skuId: s.skuId,
          quantity: s.quantity,
          seq: m.seq,
          appliedAt: m.realTime,
          version: v,
          highest: top,
        });
      } else highest.set(s.skuId, v);
    }
  }
  if (stale > 0) byAction.stale_update_inventory = stale;
  const total = Object.values(byAction).reduce((a, b) => a + b, 0);
  return {
    total,
    byAction,
    staleInventorySets: stale,
    staleSets,
    lostResponses: record.mutations.filter((m) => m.responseLost).length,
  };
}

/** Units sold on TikTok (orders not cancelled) beyond physical stock (seeded − other-channel sales), per SKU summed. */
export function unitsOversold(
  plan: SalePlan,
  placed: PlacedOrder[],
  record: EmulatorRecord,
  otherSold: Map<string, number>,
): number {
  const cancelled = new Set(record.orders.filter((o) => o.status === 'CANCELLED').map((o) => o.order_id));
  const sold = new Map<string, number>();
  for (const p of placed) if (!cancelled.has(p.orderId)) sold.set(p.sellerSku, (sold.get(p.sellerSku) ?? 0) + 1);
  let over = 0;
  for (const s of plan.skus) {
    const physical = s.stock - (otherSold.get(s.sellerSku) ?? 0);
    over += Math.max(0, (sold.get(s.sellerSku) ?? 0) - physical);
  }
  return over;
}

export interface Figures {
  system: string;
  /** Every order the plan offered, accounted for: placed + refused + placement errors (+ unaccounted, target 0). */
  ordersOffered: number;
  ordersPlaced: number;
  ordersRefused: number;
  placementErrors: number;
  /** Offered orders neither placed, refused nor failed (the bench lost track of them; target 0). */
  unaccounted: number;
  /** Placed orders by their status on TikTok at the end of the run. */
  endStates: Record<string, number>;
  /** Placed orders not at an end state (marked shipped or later, or cancelled) when the run ended. */
  openAtEnd: number;
  /** `--chaos`: workers SIGKILLed and replaced during the sale. */
  workerKills?: number;
  otherChannelSold: number;
  handedOff: number;
  lost: number;
  duplicateMutations: number;
  duplicatesByAction: Record<string, number>;
  lostResponses: number;
  rateLimited: number;
  rateLimitedByApi: Record<string, number>;
  unitsOversold: number;
  webhookP50Ms: number;
  webhookP99Ms: number;
  handoffP50Ms: number;
  handoffP99Ms: number;
  shippedToMarkedP99Ms: number;
  markedShipped: number;
  delistP50Ms: number;
  delistP99Ms: number;
  delistSamples: number;
  delistMissed: number;
  temporalActionsPerOrder: number;
  workerPeakRssMb: number;
  drainSeconds: number;
  notes: string[];
}

/** An order at one of these statuses on TikTok needs nothing more from the seller's side in this benchmark. */
export const END_STATES = new Set(['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'CANCELLED']);

/** Every order offered accounted for: placed / refused / failed, and each placed order by its status at the end. */
export function orderAccounting(
  sale: Pick<SaleOutcome, 'offered' | 'placed' | 'refused' | 'placementErrors'>,
  record: EmulatorRecord,
): { unaccounted: number; endStates: Record<string, number>; openAtEnd: number } {
  const status = new Map(record.orders.map((o) => [o.order_id, o.status]));
  const endStates: Record<string, number> = {};
  let openAtEnd = 0;
  for (const p of sale.placed) {
    const s = status.get(p.orderId) ?? 'NOT_ON_TIKTOK';
    endStates[s] = (endStates[s] ?? 0) + 1;
    if (!END_STATES.has(s)) openAtEnd += 1;
  }
  return {
    unaccounted: sale.offered - sale.placed.length - sale.refused - sale.placementErrors,
    endStates,
    openAtEnd,
  };
}

/** Hand-off latency (AWAITING_SHIPMENT on TikTok → handed off), shipped → marked shipped, lost orders. */
export function orderFigures(
  record: EmulatorRecord,
  placed: PlacedOrder[],
  handoffAt: Map<string, number>,
  warehouse: Warehouse,
): {
  handoff: number[];
  shippedToMarked: number[];
  lost: string[];
  markedShipped: number;
} {
  const ours = new Set(placed.map((p) => p.orderId));
  const handoff: number[] = [];
  const shippedToMarked: number[] = [];
  const lost: string[] = [];
  let markedShipped = 0;
  for (const o of record.orders) {
    if (!ours.has(o.order_id)) continue;
    const awaiting = realAtOf(o, 'AWAITING_SHIPMENT');
    if (awaiting === undefined) continue;
    const at = handoffAt.get(o.order_id);
    if (at === undefined) {
      if (realAtOf(o, 'CANCELLED') === undefined) lost.push(o.order_id);
    } else handoff.push(Math.max(0, at - awaiting));
    const marked = realAtOf(o, 'AWAITING_COLLECTION');
    if (marked !== undefined) markedShipped += 1;
    const shipped = warehouse.shippedAt.get(o.order_id);
    if (marked !== undefined && shipped !== undefined) shippedToMarked.push(Math.max(0, marked - shipped));
  }
  return {
    handoff: handoff.sort((a, b) => a - b),
    shippedToMarked: shippedToMarked.sort((a, b) => a - b),
    lost,
    markedShipped,
  };
}

export const p = (xs: number[], q: number): number => percentile(xs, q);

/** The figures both systems report alike; each run adds its webhook latencies, Temporal actions and notes. */
export function saleFigures(run: {
  system: string;
  plan: SalePlan;
  sale: SaleOutcome;
  record: EmulatorRecord;
  warehouse: Warehouse;
  orders: ReturnType<typeof orderFigures>;
  dups: ReturnType<typeof duplicateMutations>;
  delist: ReturnType<TikTokObserver['latencies']>;
  workerPeakRssMb: number;
  drainedAt: number | undefined;
}): Omit<Figures, 'webhookP50Ms' | 'webhookP99Ms' | 'temporalActionsPerOrder' | 'notes'> {
  const { sale, record, orders, dups, delist } = run;
  const limited = rateLimited(record);
  return {
    system: run.system,
    ordersOffered: sale.offered,
    ordersPlaced: sale.placed.length,
    ordersRefused: sale.refused,
    placementErrors: sale.placementErrors,
    ...orderAccounting(sale, record),
    otherChannelSold: sale.otherChannelSold,
    handedOff: orders.handoff.length,
    lost: orders.lost.length,
    duplicateMutations: dups.total,
    duplicatesByAction: dups.byAction,
    lostResponses: dups.lostResponses,
    rateLimited: limited.total,
    rateLimitedByApi: limited.byApi,
    unitsOversold: unitsOversold(run.plan, sale.placed, record, run.warehouse.otherSold),
    handoffP50Ms: p(orders.handoff, 50),
    handoffP99Ms: p(orders.handoff, 99),
    shippedToMarkedP99Ms: p(orders.shippedToMarked, 99),
    markedShipped: orders.markedShipped,
    delistP50Ms: p(delist.latencies, 50),
    delistP99Ms: p(delist.latencies, 99),
    delistSamples: delist.latencies.length,
    delistMissed: delist.missed,
    workerPeakRssMb: run.workerPeakRssMb,
    drainSeconds: run.drainedAt === undefined ? NaN : (run.drainedAt - sale.endedAt) / 1000,
  };
}

/**
 * Orders of this run (`ours`) still waiting for the seller: paid and not cancelled, and not yet with the carrier
 * (`AWAITING_COLLECTION`) or, when `handedOff` is given, not yet handed to the warehouse.
 */
export function ordersStillOpen(world: EmulatorWorld, ours: Set<string>, handedOff?: Set<string>): string[] {
  return [...world.emulator.state.orders.values()]
    .filter(
      (o) =>
        ours.has(o.id) &&
        o.status !== 'CANCELLED' &&
        o.transitions.some((t) => t.status === 'AWAITING_SHIPMENT') &&
        ((handedOff !== undefined && !handedOff.has(o.id)) ||
          !o.transitions.some((t) => t.status === 'AWAITING_COLLECTION')),
    )
    .map((o) => o.id);
}
