/**
 * An account of each oversold SKU: the events around its last units, so a run that sells what is not there says how
 * (issue 12 item 12; full run F9 in bench/RESULTS.md sold one unit and the figures could not tell why). Two ways a
 * unit is sold twice: the other channel sells a unit TikTok sold before the order's hold reached the warehouse
 * (sale-to-hold delay), or TikTok sells a unit the other channel sold before the feed lowered TikTok's count (feed
 * lag). The timeline shows which: TikTok sales with the delay to their hold, other-channel sales with the warehouse's
 * available to promise left, and the feed's pushes (quantity, stock event → requested).
 */
import type { PlanSku } from './flashSaleWorld';

export type WarehouseEventKind = 'hold' | 'release' | 'handoff' | 'ship' | 'other_sale';

/** One thing the warehouse model saw, with on-hand and available to promise after it. */
export interface WarehouseEvent {
  at: number;
  sellerSku: string;
  kind: WarehouseEventKind;
  orderId?: string;
  onHand: number;
  availableToPromise: number;
}

export interface FeedPush {
  sellerSku: string;
  quantity: number;
  requestedAt: number;
  stockEventAt?: number;
  confirmedAt?: number;
}

export interface OversellInput {
  skus: readonly Pick<PlanSku, 'sellerSku' | 'stock'>[];
  /** TikTok orders placed (not cancelled), with the time TikTok accepted them. */
  tiktokSales: readonly { orderId: string; sellerSku: string; placedAt: number }[];
  warehouse: readonly WarehouseEvent[];
  pushes: readonly FeedPush[];
  /** The sale's start (times print relative to it). */
  startedAt: number;
  /** Lines of timeline per oversold SKU (the last ones before its last TikTok sale, and a few after). */
  lines?: number;
}

interface Line {
  at: number;
  text: string;
}

const secs = (ms: number) => `${ms >= 0 ? '+' : ''}${(ms / 1000).toFixed(1)}s`;

/** The oversold SKUs, each with its counts and a timeline (empty when nothing was oversold). */
export function oversellAccount(input: OversellInput): string[] {
  const sold = new Map<string, number>();
  for (const s of input.tiktokSales) sold.set(s.sellerSku, (sold.get(s.sellerSku) ?? 0) + 1);
  const otherSold = new Map<string, number>();
  for (const e of input.warehouse)
    if (e.kind === 'other_sale') otherSold.set(e.sellerSku, (otherSold.get(e.sellerSku) ?? 0) + 1);
  const holdAt = new Map<string, number>();
  for (const e of input.warehouse)
    if (e.kind === 'hold' && e.orderId && !holdAt.has(e.orderId)) holdAt.set(e.orderId, e.at);
  const handoffAt = new Map<string, number>();
  for (const e of input.warehouse)
    if (e.kind === 'handoff' && e.orderId && !handoffAt.has(e.orderId)) handoffAt.set(e.orderId, e.at);

  const out: string[] = [];
  for (const sku of input.skus) {
    const tiktok = sold.get(sku.sellerSku) ?? 0;
    const other = otherSold.get(sku.sellerSku) ?? 0;
    const over = tiktok - (sku.stock - other);
    if (over <= 0) continue;
    const t = (at: number) => secs(at - input.startedAt);
    const lines: Line[] = [];
    for (const s of input.tiktokSales) {
      if (s.sellerSku !== sku.sellerSku) continue;
      const hold = holdAt.get(s.orderId) ?? handoffAt.get(s.orderId);
      lines.push({
        at: s.placedAt,
        text: `${t(s.placedAt)} tiktok sale ${s.orderId.slice(-6)} (hold ${hold === undefined ? 'never' : secs(hold - s.placedAt)} later)`,
      });
    }
    for (const e of input.warehouse) {
      if (e.sellerSku !== sku.sellerSku || e.kind === 'hold' || e.kind === 'handoff') continue;
      lines.push({
        at: e.at,
        text: `${t(e.at)} ${e.kind.replace('_', ' ')}${e.orderId ? ` ${e.orderId.slice(-6)}` : ''} (on-hand ${e.onHand}, atp ${e.availableToPromise})`,
      });
    }
    for (const p of input.pushes) {
      if (p.sellerSku !== sku.sellerSku) continue;
      const lag = p.stockEventAt === undefined ? '' : `, ${secs(p.requestedAt - p.stockEventAt)} after its stock event`;
      lines.push({ at: p.requestedAt, text: `${t(p.requestedAt)} feed pushes ${p.quantity}${lag}` });
    }
    lines.sort((a, b) => a.at - b.at);
    const lastSale = Math.max(...input.tiktokSales.filter((s) => s.sellerSku === sku.sellerSku).map((s) => s.placedAt));
    const keep = input.lines ?? 24;
    const upTo = lines.findIndex((l) => l.at > lastSale);
    const end = upTo === -1 ? lines.length : Math.min(lines.length, upTo + 4);
    const shown = lines.slice(Math.max(0, end - keep), end);
    out.push(
      `oversold ${sku.sellerSku}: ${over} unit(s); stock ${sku.stock}, TikTok sold ${tiktok}, other channel ${other}; ` +
        shown.map((l) => l.text).join(' | '),
    );
  }
  return out;
}
