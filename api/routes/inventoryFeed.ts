import crypto from 'node:crypto';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { parseCatalogDocument } from '../../integrations/erp/catalogExport';
import { catalogImportWorkflowId } from '../../workflows/ids';
import { catalogImport } from '../../workflows/catalogImport/workflow';
import type { StockLevel } from '../../workflows/inventoryFeed/messages';
import { signalStockChanged } from '../../temporal/inventoryFeed';
import { coversShop, requestShop, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const shopIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'shop ids are 1-64 letters, digits, "_" or "-"');
const ImportParams = z.object({ shopId: shopIdSchema });
const ReportParams = z.object({ shopId: shopIdSchema, id: z.string().regex(/^imp_[0-9a-f]{32}$/) });

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
const IMPORT_SOURCE = 'api:POST /v1/shops/:shopId/catalog/imports';
/** How much of a refused (too large) catalog the dead-letter table keeps, beside its sha256. */
const DEAD_LETTER_KEPT_BYTES = 4096;

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

/** Catalog imports (ERP export → TikTok SKUs) and warehouse stock events (→ the per-product inventory feed). */
export function inventoryRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');

  router.post(
    '/v1/shops/:shopId/catalog/imports',
    operator,
    express.text({ type: ['text/csv', 'text/plain'], limit: '10mb' }),
    async (req, res) => {
      const { shopId } = parseOr400(ImportParams, req.params, 'params');
      requireShop(req, shopId);
      const isCsv = typeof req.body === 'string';
      const source = isCsv ? (req.body as string) : JSON.stringify(req.body ?? null);
      if (isCsv ? source.trim() === '' : req.body === undefined || typeof req.body !== 'object') {
        throw new HttpError(400, 'invalid_request', 'send the catalog as text/csv or application/json');
      }
      const rows = parseCatalogDocument(isCsv ? 'csv' : 'json', source).rowsTotal;
      const maxRows = deps.config.CATALOG_IMPORT_MAX_ROWS;
      if (rows > maxRows) {
        // Kept as evidence, not as a document to replay: its hash and first 4 KB, not megabytes of rows.
        const bytes = Buffer.from(source, 'utf8');
        await deps.deadLetters.record({
          source: IMPORT_SOURCE,
          shopId,
          reason: `catalog_too_large: ${rows} rows, more than CATALOG_IMPORT_MAX_ROWS (${maxRows})`,
          details: {
            code: 'catalog_too_large',
            shopId,
            rows,
            maxRows,
            bytes: bytes.length,
            sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
            keptBytes: Math.min(bytes.length, DEAD_LETTER_KEPT_BYTES),
          },
          rawBody: bytes.subarray(0, DEAD_LETTER_KEPT_BYTES).toString('utf8'),
          fullBody: bytes,
          headers: { 'content-type': req.headers['content-type'], 'user-agent': req.headers['user-agent'] },
        });
        throw new HttpError(
          413,
          'catalog_too_large',
          `the catalog has ${rows} variant rows; at most ${maxRows} per import (CATALOG_IMPORT_MAX_ROWS): split it`,
        );
      }
      const shop: unknown = await deps.db('tiktok_shops').where({ shop_id: shopId }).first();
      if (!shop) throw new HttpError(404, 'not_found', `shop ${shopId} is not connected to TikTok`);
      const id = `imp_${crypto.randomBytes(16).toString('hex')}`;
      await deps.db('catalog_import_reports').insert({ id, shop_id: shopId, format: isCsv ? 'csv' : 'json', source });
      const workflowId = catalogImportWorkflowId(shopId, id);
      await deps.temporal.workflow.start(catalogImport, {
        workflowId,
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        args: [{ shopId, importId: id }],
      });
      res
        .status(202)
        .location(`/v1/shops/${encodeURIComponent(shopId)}/catalog/imports/${id}`)
        .json({ id, workflowId, status: 'pending' });
    },
  );

  router.get('/v1/shops/:shopId/catalog/imports/:id', operator, async (req, res) => {
    const { shopId, id } = parseOr400(ReportParams, req.params, 'params');
    requireShop(req, shopId);
    const row = await deps
      .db('catalog_import_reports')
      .where({ id, shop_id: shopId })
      .first<Record<string, unknown> | undefined>();
    if (!row) throw new HttpError(404, 'not_found', `no catalog import ${id} for shop ${shopId}`);
    res.json({
      id: row.id,
      shopId: row.shop_id,
      format: row.format,
      status: row.status,
      rowsTotal: row.rows_total,
      rowsImported: row.rows_imported,
      rowsRejected: row.rows_rejected,
      errors: row.errors,
      failure: row.failure,
      createdAt: row.created_at,
      completedAt: row.completed_at,
    });
  });

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
      const rows: { seller_sku: string; tiktok_product_id: string; warehouse_ids: string[] }[] = await deps
        .db('catalog_items')
        .where({ shop_id: shopId })
        .whereIn('seller_sku', skus)
        .select('seller_sku', 'tiktok_product_id', 'warehouse_ids');
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
    await deps.db.transaction(async (trx) => {
      for (const a of accepted) {
        const e = a.event;
        const rows = await trx('stock_levels')
          .insert({
            shop_id: e.shopId,
            seller_sku: e.sellerSku,
            warehouse_id: e.warehouseId,
            on_hand: e.onHand,
            sequence: e.sequence,
            occurred_at: new Date(e.occurredAt),
            received_at: trx.fn.now(),
          })
          .onConflict(['shop_id', 'seller_sku', 'warehouse_id'])
          .merge(['on_hand', 'sequence', 'occurred_at', 'received_at'])
          .where('stock_levels.sequence', '<', e.sequence)
          .returning<{ sequence: string }[]>('sequence');
        let current = e.sequence;
        if (rows.length > 0) {
          applied.push({ index: a.index, sequence: e.sequence });
        } else {
          const existing = await trx('stock_levels')
            .where({ shop_id: e.shopId, seller_sku: e.sellerSku, warehouse_id: e.warehouseId })
            .first<{ sequence: string }>('sequence');
          current = Number(existing.sequence);
          ignored.push({
            index: a.index,
            sequence: e.sequence,
            currentSequence: current,
            reason: current === e.sequence ? 'repeated sequence' : 'older than the stored sequence',
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
