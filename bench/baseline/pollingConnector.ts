/**
 * The baseline: a conventional TikTok Shop connector, built the usual way and working properly, with the product's
 * TikTok client (integrations/tiktok) and no Temporal. One loop, every 15 minutes (scaled like the sale in quick
 * mode): Search Orders updated since the last poll (with an overlap) → hand new AWAITING_SHIPMENT orders to the
 * warehouse → Mark Package As Shipped for what the warehouse shipped → Update Inventory for every SKU with
 * on-hand − units of known unshipped orders − safety buffer. Rate-limited calls are retried with backoff within the
 * cycle; a call whose answer is lost is left to the next cycle, whose poll shows whether it was applied.
 */
import { createTikTokClient, type TikTokClient } from '../../integrations/tiktok/client';
import type { ShopRef } from '../../integrations/tiktok/common';
import { getAuthorizedShops } from '../../integrations/tiktok/authorization';
import { TikTokRateLimited } from '../../integrations/tiktok/errors';
import type { ScenarioParams } from '../flashSaleOurs';
import { planFor } from '../flashSaleOurs';
import { rssSampler } from '../flashSaleStack';
import {
  applyFaults,
  consent,
  duplicateMutations,
  orderFigures,
  ordersStillOpen,
  runSale,
  saleFigures,
  SAFETY_BUFFER,
  sleep,
  startWorld,
  TikTokObserver,
  Warehouse,
  type EmulatorRecord,
  type EmulatorWorld,
  type Figures,
} from '../flashSaleWorld';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

const APP_KEY = 'baseline_app_key';
const APP_SECRET = 'baseline_app_secret_0123456789abcd';
const REDIRECT = 'https://baseline.example.test/oauth/callback';
const RATE_LIMITED = 36009002;

interface KnownOrder {
  status: string;
  sellerSkus: string[];
  handedOff: boolean;
  marked: boolean;
}

/** Retries rate-limited (and 5xx before the handler) calls with backoff; anything else is thrown. */
async function withBackoff<T>(fn: () => Promise<T>): Promise<T> {
  let wait = 500;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt < 8 && (err instanceof TikTokRateLimited || (err as { code?: unknown }).code === RATE_LIMITED)) {
        await sleep(wait);
        wait = Math.min(wait * 2, 5_000);
        continue;
      }
      throw err;
    }
  }
}

export class PollingConnector {
  readonly known = new Map<string, KnownOrder>();
  /** Every Update Inventory sent: the cycle number is its version. */
  readonly pushes: { skuId: string; quantity: number; version: number; requestedAt: number }[] = [];
  cycles = 0;
  private lastPollSeconds: number;
  private providerId: string | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: TikTokClient,
    private readonly shop: ShopRef,
    private readonly world: EmulatorWorld,
    private readonly warehouse: Warehouse,
    private readonly periodMs: number,
    private readonly log: (m: string) => void,
  ) {
    this.lastPollSeconds = Math.floor(Date.now() / 1000) - 60;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const started = Date.now();
        try {
          await this.cycle();
        } catch (err) {
          this.log(`cycle ${this.cycles} failed: ${(err as Error).message}`);
        }
        while (!this.stopped && Date.now() < started + this.periodMs)
          await sleep(Math.min(500, started + this.periodMs - Date.now()));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  async cycle(): Promise<void> {
    this.cycles += 1;
    const cycleStart = Math.floor(Date.now() / 1000);
    // 1. Orders updated since the last poll (60 s overlap for clock skew), every page.
    let pageToken: string | undefined;
    do {
      const page = await withBackoff(() =>
        callEndpoint(this.client, endpoints.searchOrders, this.shop, {
          page_size: 100,
          page_token: pageToken,
          update_time_ge: Math.max(0, this.lastPollSeconds - 60),
        }),
      );
      for (const o of page.orders) {
        const k = this.known.get(o.id) ?? {
          status: o.status ?? 'UNKNOWN',
          sellerSkus: o.line_items.map((li) => li.seller_sku ?? ''),
          handedOff: false,
          marked: false,
        };
        k.status = o.status ?? k.status;
        if (['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'].includes(k.status)) k.marked = true;
        this.known.set(o.id, k);
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    this.lastPollSeconds = cycleStart;

    // 2. Hand new AWAITING_SHIPMENT orders to the warehouse.
    for (const [orderId, k] of this.known) {
      if (k.status === 'AWAITING_SHIPMENT' && !k.handedOff) {
        this.warehouse.receive(orderId, k.sellerSkus);
        k.handedOff = true;
      }
    }

    // 3. Mark shipped what the warehouse shipped.
    this.providerId ??= await this.upsProvider();
    for (const [orderId, k] of this.known) {
      if (k.marked || !this.warehouse.shippedAt.has(orderId) || k.status === 'CANCELLED') continue;
      try {
        await withBackoff(() =>
          callEndpoint(this.client, endpoints.markPackageAsShipped, this.shop, {
            order_id: orderId,
            tracking_number: `1Z${orderId.slice(-16)}`,
            shipping_provider_id: this.providerId!,
          }),
        );
        k.marked = true;
      } catch (err) {
        // Lost answer or refusal: the next poll shows the order's status, and it is tried again only if unshipped.
        this.log(`mark shipped ${orderId}: ${(err as Error).message}`);
      }
    }

    // 4. Push every SKU: on-hand − units of known orders the warehouse has not shipped − buffer.
    const committed = new Map<string, number>();
    for (const [orderId, k] of this.known) {
      if (k.status === 'CANCELLED' || this.warehouse.shippedAt.has(orderId)) continue;
      for (const sku of k.sellerSkus) committed.set(sku, (committed.get(sku) ?? 0) + 1);
    }
    const byProduct = new Map<string, { sellerSku: string; skuId: string }[]>();
    for (const [sellerSku, ids] of this.world.tiktok) {
      byProduct.set(ids.productId, [...(byProduct.get(ids.productId) ?? []), { sellerSku, skuId: ids.skuId }]);
    }
    for (const [productId, skus] of byProduct) {
      const items = skus.map((s) => ({
        ...s,
        quantity: Math.max(
          0,
          (this.warehouse.onHand.get(s.sellerSku) ?? 0) - (committed.get(s.sellerSku) ?? 0) - SAFETY_BUFFER,
        ),
      }));
      const requestedAt = Date.now();
      for (const i of items)
        this.pushes.push({ skuId: i.skuId, quantity: i.quantity, version: this.cycles, requestedAt });
      try {
        await withBackoff(() =>
          callEndpoint(this.client, endpoints.updateInventory, this.shop, {
            product_id: productId,
            skus: items.map((i) => ({
              id: i.skuId,
              inventory: [{ warehouse_id: this.world.warehouseId, quantity: i.quantity }],
            })),
          }),
        );
      } catch (err) {
        this.log(`update inventory ${productId}: ${(err as Error).message}`);
      }
    }
  }

  private async upsProvider(): Promise<string> {
    const options = await withBackoff(() =>
      callEndpoint(this.client, endpoints.getWarehouseDeliveryOptions, this.shop, {
        warehouse_id: this.world.warehouseId,
      }),
    );
    for (const option of options) {
      const providers = await withBackoff(() =>
        callEndpoint(this.client, endpoints.getShippingProviders, this.shop, { delivery_option_id: option.id }),
      );
      const ups = providers.find((pr) => pr.name?.toUpperCase() === 'UPS') ?? providers[0];
      if (ups) return ups.id;
    }
    throw new Error('no shipping provider');
  }
}

/** The flash sale against the baseline, on a fresh emulator with the same seed. */
export async function runBaseline(params: ScenarioParams, log: (m: string) => void): Promise<Figures> {
  const plan = planFor(params);
  const say = (m: string) => log(`[baseline] ${m}`);
  const world = await startWorld(plan, { appKey: APP_KEY, appSecret: APP_SECRET, redirectUrl: REDIRECT });
  const rss = rssSampler(process.pid);
  let connector: PollingConnector | undefined;
  let warehouse: Warehouse | undefined;
  const observer = new TikTokObserver(world);
  try {
    // OAuth: consent → code → token; Get Authorized Shops → cipher.
    let accessToken = '';
    let refreshToken = '';
    const client = createTikTokClient({
      baseUrl: world.emulator.url,
      authBaseUrl: world.emulator.url,
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      tokens: {
        getAccessToken: () => Promise.resolve(accessToken),
        refresh: async () => {
          const grant = await client.auth.refreshAccessToken(refreshToken);
          ({ accessToken, refreshToken } = grant);
          return accessToken;
        },
      },
    });
    const callback = await consent(world.emulator.url, `/oauth/authorize?app_key=${APP_KEY}&state=baseline`);
    const grant = await client.auth.exchangeAuthCode(callback.searchParams.get('code')!);
    ({ accessToken, refreshToken } = grant);
    const shops = await getAuthorizedShops(client, { accessToken });
    const shop = shops.find((s) => s.shopId === world.shopId) ?? shops[0]!;

    warehouse = new Warehouse(
      plan,
      params.shipDelayMaxMs,
      { shipped: () => Promise.resolve(), stockChanged: () => Promise.resolve() },
      say,
    );
    await applyFaults(world);
    connector = new PollingConnector(
      client,
      { shopId: shop.shopId, shopCipher: shop.shopCipher },
      world,
      warehouse,
      params.baselinePeriodMs,
      say,
    );
    connector.start();
    say(`sale: ${plan.orders.length} orders; polling every ${params.baselinePeriodMs / 1000} s`);
    const sale = await runSale(world, plan, warehouse, observer, say);
    say(
      `sale over: ${sale.placed.length} placed, ${sale.refused} refused, other channel sold ${sale.otherChannelSold}`,
    );

    const drainBy = sale.endedAt + 2 * params.baselinePeriodMs + params.drainTimeoutMs;
    let drainedAt: number | undefined;
    const ours = new Set(sale.placed.map((o) => o.orderId));
    while (Date.now() < drainBy) {
      const open = ordersStillOpen(world, ours);
      if (open.length === 0 && warehouse.pending === 0) {
        drainedAt = Date.now();
        break;
      }
      await sleep(500);
    }
    await connector.stop();
    observer.stop();

    const record = (await world.admin('/record')) as EmulatorRecord;
    const handoffAt = new Map([...warehouse.received.values()].map((r) => [r.orderId, r.receivedAt]));
    const orders = orderFigures(record, sale.placed, handoffAt, warehouse);
    const pushes = connector.pushes;
    const versionOf = (skuId: string, quantity: number, appliedAt: number): number | undefined => {
      let best: { at: number; version: number } | undefined;
      for (const r of pushes) {
        if (r.skuId !== skuId || r.quantity !== quantity || r.requestedAt > appliedAt + 50) continue;
        if (!best || r.requestedAt >= best.at) best = { at: r.requestedAt, version: r.version };
      }
      return best?.version;
    };
    const dups = duplicateMutations(record, world.inventorySets, versionOf);
    const delist = observer.latencies();
    return {
      ...saleFigures({
        system: 'baseline',
        plan,
        sale,
        record,
        warehouse,
        orders,
        dups,
        delist,
        workerPeakRssMb: rss.peakMb(),
        drainedAt,
      }),
      webhookP50Ms: NaN,
      webhookP99Ms: NaN,
      temporalActionsPerOrder: 0,
      notes: [
        `${connector.cycles} polling cycles; record: ${dups.lostResponses} responses lost`,
        `lost orders: ${orders.lost.length}; delist watches already out on TikTok: ${delist.alreadyOut}`,
        ...(drainedAt === undefined ? ['not drained before the timeout'] : []),
      ],
    };
  } finally {
    observer.stop();
    rss.stop();
    await connector?.stop();
    await warehouse?.stop();
    await world.emulator.close();
  }
}
