import { Router, type Request } from 'express';
import { z } from 'zod';
import { createCatalogRepository } from '../../db/catalog';
import { createInventoryRepository } from '../../db/inventory';
import type { StockLevel } from '../../workflows/inventoryFeed/messages';
import { signalStockChanged } from '../../temporal/inventoryFeed';
import { coversShop, requestShop, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const shopIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'shop ids are 1-64 letters, digits, "_" or "-"');

/** One warehouse count: absolute on-hand of a SKU in a warehouse, ordered per (shop, SKU, warehouse) by sequence. */
export const StockEvent = z.strictObject({
  shopId: shopIdSchema,
  sellerSku: z.string().trim().min(1).max(100),
  warehouseId: z.string().trim().min(1).max(64),
  onHand: z.number().int().min(0).max(10_000_000),
  sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type StockEvent = z.infer<typeof StockEvent>;
const StockEventBatch = z.union([
  z.array(z.unknown()).min(1).max(1000),
  z.object({ events: z.array(z.unknown()).min(1).max(1000) }).transform((b) => b.events),
]);

const EVENTS_SOURCE = 'api:POST /v1/inventory/events';

/**
 * A batch naming any shop the caller's key does not cover is refused whole (404, nothing applied): applying the rest
 * would tell the caller which rows named a shop of another brand.
 */
function refuseShopsOutsideKey(req: Request, batch: unknown[]): void {
  const outside = batch.flatMap((raw, index) => {
    const shopId = (raw as { shopId?: unknown } | null)?.shopId;
    return typeof shopId === 'string' && !coversShop(req, shopId) ? [index] : [];
  });
  if (outside.length > 0) {
    throw new HttpError(
      404,
      'not_found',
      `the batch names shops this API key does not cover (rows ${outside.join(', ')})`,
    );
  }
}

type Rejected = { index: number; code: string; message: string; issues?: unknown };

/** Warehouse stock events → stock levels → the per-product inventory feed (inventoryFeed workflows). */
export function inventoryFeedRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const catalogItems = createCatalogRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);

  /**
   * A batch of warehouse counts. Each row is validated on its own: rejected rows come back with their zod issues (or
   * why they cannot be applied) and are kept in the dead-letter table; accepted rows are committed to stock_levels,
   * where an older or repeated sequence never moves stock backwards (reported as ignored); then every product they
   * touch is signalled (signal-with-start) — also for repeats, so a retried request re-delivers a lost signal.
   */
  router.post('/v1/inventory/events', operator, async (req, res) => {
    const batch = parseOr400(StockEventBatch, req.body, 'body');
    refuseShopsOutsideKey(req, batch);
    const rejected: Rejected[] = [];
    const valid: { index: number; event: StockEvent }[] = [];
    batch.forEach((raw, index) => {
      const parsed = StockEvent.safeParse(raw);
      if (parsed.success) valid.push({ index, event: parsed.data });
      else
        rejected.push({
          index,
          code: 'invalid_event',
          message: z.prettifyError(parsed.error),
          issues: parsed.error.issues,
        });
    });

    // Which SKUs exist, and in which warehouses TikTok has them.
    const keys = [...new Set(valid.map((v) => `${v.event.shopId}\u0000${v.event.sellerSku}`))];
    const catalog = new Map<string, { productId: string; warehouseIds: string[] }>();
    for (const shopId of new Set(valid.map((v) => v.event.shopId))) {
      const skus = keys.filter((k) => k.startsWith(`${shopId}\u0000`)).map((k) => k.split('\u0000')[1]!);
      const rows = await catalogItems.itemsBySellerSku(shopId, skus);
      for (const r of rows) {
        catalog.set(`${shopId}\u0000${r.seller_sku}`, {
          productId: r.tiktok_product_id,
          warehouseIds: r.warehouse_ids,
        });
      }
    }

    const accepted: { index: number; productId: string; event: StockEvent }[] = [];
    for (const v of valid) {
      const item = catalog.get(`${v.event.shopId}\u0000${v.event.sellerSku}`);
      if (!item) {
        rejected.push({
          index: v.index,
          code: 'unknown_seller_sku',
          message: `seller_sku ${v.event.sellerSku} is not in the imported catalog of shop ${v.event.shopId}`,
        });
      } else if (!item.warehouseIds.includes(v.event.warehouseId)) {
        rejected.push({
          index: v.index,
          code: 'unknown_warehouse',
          message: `warehouse ${v.event.warehouseId} is not one of the SKU's TikTok warehouses (${item.warehouseIds.join(', ')})`,
        });
      } else {
        accepted.push({ index: v.index, productId: item.productId, event: v.event });
      }
    }

    const applied: { index: number; sequence: number }[] = [];
    const ignored: { index: number; sequence: number; currentSequence: number; reason: string }[] = [];
    const touched = new Map<
      string,
      { shopId: string; productId: string; skus: Set<string>; levels: Record<string, Record<string, StockLevel>> }
    >();
    // One transaction, in the batch's order: an older or repeated sequence never moves stock backwards.
    const outcomes = await inventory.applyStockCounts(accepted.map((a) => a.event));
    accepted.forEach((a, n) => {
      const e = a.event;
      const { outcome, currentSequence: current } = outcomes[n]!;
      if (outcome === 'applied') {
        applied.push({ index: a.index, sequence: e.sequence });
      } else {
        ignored.push({
          index: a.index,
          sequence: e.sequence,
          currentSequence: current,
          reason: outcome === 'repeated' ? 'repeated sequence' : 'older than the stored sequence',
        });
      }
      if (current === e.sequence) {
        const key = `${e.shopId}\u0000${a.productId}`;
        const t = touched.get(key) ?? {
          shopId: e.shopId,
          productId: a.productId,
          skus: new Set<string>(),
          levels: {},
        };
        t.skus.add(e.sellerSku);
        (t.levels[e.sellerSku] ??= {})[e.warehouseId] = { onHand: e.onHand, sequence: e.sequence };
        touched.set(key, t);
      }
    });

    for (const r of rejected) {
      await deps.deadLetters.record({
        source: EVENTS_SOURCE,
        reason: `${r.code}: ${r.message}`,
        details: { index: r.index, code: r.code, issues: r.issues },
        rawBody: JSON.stringify(batch[r.index]),
        shopId: requestShop(req, batch[r.index]),
        headers: { 'content-type': req.headers['content-type'], 'user-agent': req.headers['user-agent'] },
      });
    }
    const at = new Date().toISOString();
    for (const t of touched.values()) {
      await signalStockChanged({ temporal: deps.temporal, cfg: deps.config }, t.shopId, t.productId, {
        sellerSkus: [...t.skus],
        at,
        levels: t.levels,
      });
    }
    rejected.sort((a, b) => a.index - b.index);
    res.status(rejected.length > 0 && applied.length + ignored.length === 0 ? 422 : 200).json({
      accepted: applied,
      ignored,
      rejected,
    });
  });

  return router;
}
