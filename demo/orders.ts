// Orders: the emulator places paid orders; each order's workflow waits out the (compressed) remorse window and hands
// the order to the warehouse; the warehouse reports the shipment through the API, which marks it shipped on TikTok;
// the carrier scan ends the dispatch clock.
import crypto from 'node:crypto';
import { compressedMs, DemoError, seconds, type DemoContext, type DemoScenario, type DemoSku } from './scenario';

export interface ShippedOrder {
  orderId: string;
  sku: DemoSku;
  quantity: number;
  /** What the buyer paid for the items (TikTok's payment.sub_total), the refund of them all. */
  amount: string;
  currency: string;
  /** Placed → handed to the warehouse (the order workflow's `acknowledged`). */
  acknowledgedMs: number;
  /** Shipment reported through the API → TikTok shows AWAITING_COLLECTION. */
  markedShippedMs: number;
}

/** The SKU with the most stock; topped up in the emulator's warehouse when it has fewer than `units`. */
export async function stockedSku(ctx: DemoContext, units: number): Promise<DemoSku> {
  const sku = [...ctx.shop.skus].sort((a, b) => b.available - a.available)[0];
  if (!sku) throw new DemoError(`shop ${ctx.shop.shopId} has no SKU`);
  if (sku.available < units) {
    ctx.log(`restocking ${sku.sellerSku} in the emulator's warehouse (${sku.available} left)`);
    await ctx.emulator('/stock', { sku_id: sku.skuId, warehouse_id: ctx.shop.warehouseId, quantity: units + 20 });
    sku.available = units + 20;
  }
  return sku;
}

const orderPath = (ctx: DemoContext, orderId: string) => `/v1/orders/${ctx.shop.shopId}/${orderId}`;

/**
 * Places one paid order per quantity, waits for each to be handed to the warehouse, reports its shipment through
 * the API and waits until TikTok shows it AWAITING_COLLECTION (the status a return needs).
 */
export async function placeAndShip(
  ctx: DemoContext,
  sku: DemoSku,
  quantities: number[],
  opts: {
    /** The carrier's tracking number of each order (default: a random UPS-style one). */
    trackingNumbers?: string[];
    /** The buyer's address fields (the emulator's Get Order Detail `recipient_address`). */
    recipient?: Record<string, string>;
  } = {},
): Promise<ShippedOrder[]> {
  const placed = [];
  for (const quantity of quantities) {
    const order = await ctx.emulator('/orders', {
      shop_id: ctx.shop.shopId,
      items: [{ sku_id: sku.skuId, quantity }],
      paid: true,
      ...(opts.recipient ? { recipient: opts.recipient } : {}),
    });
    placed.push({ order, quantity, at: Date.now() });
    sku.available -= quantity;
  }
  ctx.log(`placed ${placed.length} paid order(s) of ${sku.sellerSku} in the emulator`);
  // The remorse window (compressed), then the workflow's read and hand-off.
  const handOffWithin = compressedMs('1h', ctx.compression) + 60_000;
  const shipped: ShippedOrder[] = [];
  for (const { order, quantity, at } of placed) {
    const orderId = order.id as string;
    await ctx.until(
      `order ${orderId} handed to the warehouse`,
      async () => (await ctx.api('GET', orderPath(ctx, orderId), undefined, { accept: [404] })).json?.acknowledged,
      handOffWithin,
    );
    const acknowledgedMs = Date.now() - at;
    const reported = Date.now();
    const trackingNumber =
      opts.trackingNumbers?.[shipped.length] ?? `1Z${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
    await ctx.api('POST', `${orderPath(ctx, orderId)}/shipments`, { packages: [{ trackingNumber, carrier: 'UPS' }] });
    await ctx.until(`order ${orderId} AWAITING_COLLECTION on TikTok`, async () => {
      const onTikTok = await ctx.emulator(`/orders/${orderId}`);
      return onTikTok.status === 'AWAITING_COLLECTION';
    });
    shipped.push({
      orderId,
      sku,
      quantity,
      amount: order.payment.sub_total as string,
      currency: order.payment.currency as string,
      acknowledgedMs,
      markedShippedMs: Date.now() - reported,
    });
  }
  return shipped;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const ordersDemo: DemoScenario = {
  name: 'orders',
  summary:
    'paid orders acknowledged, shipped through the API and scanned by the carrier (TikTok shows them dispatched)',
  async run(ctx) {
    const count = 3;
    const sku = await stockedSku(ctx, count);
    const shipped = await placeAndShip(
      ctx,
      sku,
      Array.from({ length: count }, () => 1),
    );
    ctx.log(`${count} orders marked shipped on TikTok; the carrier scans them`);
    for (const { orderId } of shipped) await ctx.emulator(`/orders/${orderId}/carrier-scan`, {});
    for (const { orderId } of shipped) {
      const view = await ctx.until(`order ${orderId} dispatched in its workflow`, async () => {
        const v = (await ctx.api('GET', orderPath(ctx, orderId))).json;
        return v.state === 'IN_TRANSIT' ? v : undefined;
      });
      if (view.risk === 'late') throw new DemoError(`order ${orderId} was recorded as a late dispatch`);
    }
    return (
      `${count} orders placed, handed to the warehouse in ${seconds(median(shipped.map((o) => o.acknowledgedMs)))} ` +
      `(median; remorse window 1h → ${seconds(compressedMs('1h', ctx.compression))}), marked shipped on TikTok in ` +
      `${seconds(median(shipped.map((o) => o.markedShippedMs)))} after the API call, all IN_TRANSIT and on time`
    );
  },
};
