import { URGENT_DEADLINE_MS } from '../workflows/shared/taskPriority';
import type { Client } from '@temporalio/client';
import { activityInfo, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AppConfig } from '../config';
import type { Db } from '../db/knex';
import {
  matchCatalog,
  parseCatalogDocument,
  sortCatalogErrors,
  type CatalogRowError,
  type TikTokSkuRef,
} from '../integrations/erp/catalogExport';
import { heartbeatCheckpoint } from '../integrations/tiktok/activityHooks';
import type { TikTokClient } from '../integrations/tiktok/client';
import type { ShopRef } from '../integrations/tiktok/common';
import { isTikTokFailure } from '../integrations/tiktok/errors';
import {
  activateProducts,
  deactivateProducts,
  getProduct,
  inventorySearch,
  searchProducts,
  updateInventory,
} from '../integrations/tiktok/products';
import type { TokenStore } from '../integrations/tiktok/tokenStore';
import { policy } from '../policy';
import { signalStockChanged } from '../temporal/inventoryFeed';
import { totalQuantity, type FeedSettings, type WarehouseQuantity } from '../workflows/inventoryFeed/inventoryMath';

/** §7.2 Update Inventory / Activate / Deactivate: the product's status does not allow the operation. */
export const PRODUCT_STATUS_NOT_ALLOWED = 12052901;
/** §7.2 Update Inventory: the quantity is outside the allowed range (how a refused 0 comes back). */
export const QUANTITY_OUT_OF_RANGE = 12052055;

export interface SnapshotSku {
  sellerSku: string;
  skuId: string;
  warehouseIds: string[];
  onHand: Record<string, number>;
  safetyBuffer: number;
  feedVersion: number;
  /** occurred_at of the SKU's latest stock event (ISO). */
  stockEventAt: string | null;
  /** The stock event sequence behind each warehouse's on-hand (absent in histories recorded before it was read). */
  sequences?: Record<string, number>;
}

export interface PushItem {
  sellerSku: string;
  skuId: string;
  version: number;
  inventory: WarehouseQuantity[];
  stockEventAt: string | null;
}

export interface ListingItem {
  sellerSku: string;
  skuId: string;
  quantity: number;
  version: number;
  stockEventAt: string | null;
}

interface CatalogRow {
  seller_sku: string;
  tiktok_sku_id: string;
  warehouse_ids: string[];
  safety_buffer: number | null;
  feed_version: string;
}

/**
 * Seller SKUs per chunk of a catalog import: one Search Products call (its seller_skus filter) per chunk, then a Get
 * Product per product not seen yet; a chunk takes seconds, so a checkpoint is never far behind.
 */
export const CATALOG_IMPORT_CHUNK = 50;

/** Heartbeat details of importCatalog: where a retried attempt resumes. */
export interface CatalogCheckpoint {
  importId: string;
  /** Chunks before this one are stored (catalog_items and catalog_import_reports.progress). */
  nextChunk: number;
  chunks: number;
}

/** One chunk's outcome, kept in catalog_import_reports.progress under the chunk's index. */
interface CatalogChunkOutcome {
  /** [seller_sku, TikTok product id] of every imported row. */
  matched: [string, string][];
  errors: CatalogRowError[];
}

function catalogCheckpointOf(details: unknown, importId: string): CatalogCheckpoint | undefined {
  const c = details as Partial<CatalogCheckpoint> | undefined;
  return c && c.importId === importId && typeof c.nextChunk === 'number' ? (c as CatalogCheckpoint) : undefined;
}

const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString();

export function createInventoryActivities(deps: {
  cfg: AppConfig;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient };
  tokens: TokenStore;
}) {
  const { db } = deps;
  const urgentDeadline = () => new Date(Date.now() + URGENT_DEADLINE_MS);

  async function settingsFor(shopId: string): Promise<FeedSettings & { defaultSafetyBuffer: number }> {
    const shop = await db('shops').where({ shop_id: shopId }).first<{ region: string } | undefined>();
    const region = shop?.region ?? 'US';
    const override = deps.cfg.INVENTORY_ZERO_QUANTITY_ACCEPTED;
    return {
      zeroAccepted:
        override === 'policy' ? policy<boolean>(region, 'inventory.zeroQuantityAccepted').value : override === 'true',
      deactivateWhenAllVariantsOut: policy<boolean>(region, 'inventory.deactivateWhenAllVariantsOut').value,
      maxQuantity: policy<number>(region, 'inventory.maxQuantity').value,
      defaultSafetyBuffer: policy<number>(region, 'inventory.defaultSafetyBuffer').value,
    };
  }

  async function logRows(
    ref: { shopId: string; productId: string },
    action: 'quantity' | 'deactivate' | 'activate',
    items: {
      sellerSku: string;
      skuId: string;
      quantity: number;
      version: number;
      stockEventAt: string | null;
      warehouses?: unknown;
    }[],
    requestedAt: Date,
    outcome: (i: number) => { outcome: string; detail?: string } = () => ({ outcome: 'requested' }),
  ): Promise<string[]> {
    if (items.length === 0) return [];
    const rows = await db('inventory_push_log')
      .insert(
        items.map((i, n) => ({
          shop_id: ref.shopId,
          tiktok_product_id: ref.productId,
          tiktok_sku_id: i.skuId,
          seller_sku: i.sellerSku,
          action,
          quantity: i.quantity,
          warehouses: JSON.stringify(i.warehouses ?? []),
          version: i.version,
          stock_event_at: i.stockEventAt,
          requested_at: requestedAt,
          outcome: outcome(n).outcome,
          detail: outcome(n).detail ?? null,
        })),
      )
      .returning<{ id: string }[]>('id');
    return rows.map((r) => String(r.id));
  }

  const activities = {
    /**
     * What the feed needs for one product, from PostgreSQL only: every catalog SKU with stock events, its on-hand
     * per warehouse, safety buffer and last pushed version, and the policy values (recorded in history).
     * SKUs without any stock event yet are left out: the feed does not touch what it has no count for.
     */
    async loadInventorySnapshot(ref: { shopId: string; productId: string }): Promise<{
      skus: SnapshotSku[];
      settings: FeedSettings;
    }> {
      const settings = await settingsFor(ref.shopId);
      const items = (await db('catalog_items')
        .where({ shop_id: ref.shopId, tiktok_product_id: ref.productId })
        .orderBy('seller_sku')) as CatalogRow[];
      const levels = await db('stock_levels')
        .where({ shop_id: ref.shopId })
        .whereIn(
          'seller_sku',
          items.map((i) => i.seller_sku),
        )
        .select<{ seller_sku: string; warehouse_id: string; on_hand: number; occurred_at: Date; sequence: string }[]>(
          'seller_sku',
          'warehouse_id',
          'on_hand',
          'occurred_at',
          'sequence',
        );
      const skus: SnapshotSku[] = [];
      for (const item of items) {
        const mine = levels.filter((l) => l.seller_sku === item.seller_sku);
        if (mine.length === 0) continue;
        const latest = mine.reduce((a, b) => (a.occurred_at > b.occurred_at ? a : b));
        skus.push({
          sellerSku: item.seller_sku,
          skuId: item.tiktok_sku_id,
          warehouseIds: item.warehouse_ids,
          onHand: Object.fromEntries(mine.map((l) => [l.warehouse_id, l.on_hand])),
          safetyBuffer: item.safety_buffer ?? settings.defaultSafetyBuffer,
          feedVersion: Number(item.feed_version),
          stockEventAt: iso(latest.occurred_at),
          sequences: Object.fromEntries(mine.map((l) => [l.warehouse_id, Number(l.sequence)])),
        });
      }
      const { defaultSafetyBuffer: _unused, ...feed } = settings;
      return { skus, settings: feed };
    },

    /**
     * Update Inventory with every warehouse of every SKU. A SKU whose version is older than one already handed to
     * TikTok is dropped (stale); equal versions pass, so a retried attempt sends the same numbers again.
     * Per-SKU errors are logged and returned; a refused 0 is reported as `zeroRefused`.
     */
    async pushInventory(input: { shopId: string; productId: string; skus: PushItem[]; urgent: boolean }): Promise<{
      logIds: Record<string, string>;
      stale: string[];
      failed: string[];
      zeroRefused: boolean;
      productInactive: boolean;
    }> {
      const fresh: PushItem[] = [];
      const stale: string[] = [];
      for (const s of input.skus) {
        const n = await db('catalog_items')
          .where({ shop_id: input.shopId, seller_sku: s.sellerSku })
          .andWhere('feed_version', '<=', s.version)
          .update({ feed_version: s.version });
        if (n > 0) fresh.push(s);
        else stale.push(s.sellerSku);
      }
      if (fresh.length === 0) return { logIds: {}, stale, failed: [], zeroRefused: false, productInactive: false };
      const shop: ShopRef = await deps.tokens.shopRef(input.shopId);
      const requestedAt = new Date();
      let errors;
      try {
        ({ errors } = await updateInventory(
          deps.tiktok.client,
          shop,
          {
            product_id: input.productId,
            skus: fresh.map((s) => ({ id: s.skuId, inventory: s.inventory })),
          },
          {
            ...(input.urgent ? { deadline: urgentDeadline() } : {}),
            // An attempt that outlived its start-to-close timeout (stuck in the rate budget) may wake after the
            // retry and a newer version went out: a push older than what was sent since is never sent.
            beforeSend: async () => {
              const newer = await db('catalog_items')
                .where({ shop_id: input.shopId })
                .whereIn(
                  'seller_sku',
                  fresh.map((s) => s.sellerSku),
                )
                .select<{ seller_sku: string; feed_version: number }[]>('seller_sku', 'feed_version');
              const superseded = newer.filter(
                (r) => Number(r.feed_version) > fresh.find((s) => s.sellerSku === r.seller_sku)!.version,
              );
              if (superseded.length > 0)
                throw ApplicationFailure.nonRetryable(
                  `inventory push superseded by a newer version for ${superseded.map((r) => r.seller_sku).join(', ')}`,
                  'InventoryPushSuperseded',
                );
            },
          },
        ));
      } catch (err) {
        if (isTikTokFailure(err) && err.code === PRODUCT_STATUS_NOT_ALLOWED) {
          return {
            logIds: {},
            stale,
            failed: fresh.map((s) => s.sellerSku),
            zeroRefused: false,
            productInactive: true,
          };
        }
        throw err;
      }
      const errorFor = (skuId: string) => errors.find((e) => e.detail?.sku_id === skuId);
      let zeroRefused = false;
      const outcomes = fresh.map((s) => {
        const e = errorFor(s.skuId);
        if (!e) return { outcome: 'requested' };
        const extra = (e.detail?.extra_errors ?? []) as { code?: number; warehouse_id?: string }[];
        const refusedZero = s.inventory.some(
          (w) =>
            w.quantity === 0 &&
            extra.some((x) => x.code === QUANTITY_OUT_OF_RANGE && x.warehouse_id === w.warehouse_id),
        );
        if (refusedZero) zeroRefused = true;
        return { outcome: refusedZero ? 'refused_zero' : 'refused', detail: JSON.stringify(e).slice(0, 2000) };
      });
      const ids = await logRows(
        input,
        'quantity',
        fresh.map((s) => ({
          ...s,
          quantity: s.inventory.reduce((a, w) => a + w.quantity, 0),
          warehouses: s.inventory,
        })),
        requestedAt,
        (i) => outcomes[i]!,
      );
      const logIds: Record<string, string> = {};
      const failed: string[] = [];
      fresh.forEach((s, i) => {
        if (outcomes[i]!.outcome === 'requested') logIds[s.sellerSku] = ids[i]!;
        else failed.push(s.sellerSku);
      });
      return { logIds, stale, failed, zeroRefused, productInactive: false };
    },

    /**
     * Inventory Search read-back: a SKU is confirmed when TikTok reports exactly the pushed quantity for every
     * warehouse. Confirmed rows get confirmed_at; on the final attempt the others are marked unconfirmed.
     */
    async confirmInventory(input: {
      shopId: string;
      productId: string;
      expected: { skuId: string; inventory: WarehouseQuantity[]; logId: string }[];
      final: boolean;
    }): Promise<string[]> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const urgent = input.expected.some((e) => e.inventory.every((w) => w.quantity === 0));
      const records = await inventorySearch(
        deps.tiktok.client,
        shop,
        { sku_ids: input.expected.map((e) => e.skuId) },
        urgent ? { deadline: urgentDeadline() } : {},
      );
      const seen = new Map(records.flatMap((r) => r.skus).map((s) => [s.id, s]));
      const confirmed: string[] = [];
      for (const e of input.expected) {
        const s = seen.get(e.skuId);
        const ok =
          s !== undefined &&
          e.inventory.every(
            (w) =>
              s.warehouse_inventory.find((x) => x.warehouse_id === w.warehouse_id)?.available_quantity === w.quantity,
          );
        if (ok) confirmed.push(e.skuId);
      }
      const confirmedLogIds = input.expected.filter((e) => confirmed.includes(e.skuId)).map((e) => e.logId);
      if (confirmedLogIds.length > 0) {
        await db('inventory_push_log')
          .whereIn('id', confirmedLogIds)
          .whereNull('confirmed_at')
          .update({ confirmed_at: new Date(), outcome: 'confirmed' });
      }
      if (input.final) {
        const rest = input.expected.filter((e) => !confirmed.includes(e.skuId)).map((e) => e.logId);
        if (rest.length > 0) await db('inventory_push_log').whereIn('id', rest).update({ outcome: 'unconfirmed' });
      }
      return confirmed;
    },

    /** Deactivate Products (sold out, 0 refused) or Activate Product (restocked); logs one row per SKU. */
    async setProductListing(input: {
      shopId: string;
      productId: string;
      action: 'deactivate' | 'activate';
      reason: string;
      skus: ListingItem[];
      urgent: boolean;
    }): Promise<{ accepted: boolean; logIds: string[]; code: number | null }> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const requestedAt = new Date();
      const call = input.action === 'deactivate' ? deactivateProducts : activateProducts;
      const { errors } = await call(
        deps.tiktok.client,
        shop,
        { product_ids: [input.productId] },
        input.urgent ? { deadline: urgentDeadline() } : {},
      );
      const error = errors[0];
      const logIds = await logRows(input, input.action, input.skus, requestedAt, () =>
        error
          ? { outcome: 'refused', detail: JSON.stringify(error).slice(0, 2000) }
          : { outcome: 'requested', detail: input.reason },
      );
      return { accepted: error === undefined, logIds, code: error?.code ?? null };
    },

    /**
     * Get Product: the product's status. With `confirm`, rows of a deactivation (or activation) are confirmed when the
     * status matches, and marked unconfirmed on the final attempt.
     */
    async readProductListing(input: {
      shopId: string;
      productId: string;
      confirm?: { expect: 'deactivated' | 'active'; logIds: string[]; final: boolean };
    }): Promise<string> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const product = await getProduct(
        deps.tiktok.client,
        shop,
        { product_id: input.productId },
        input.confirm?.expect === 'deactivated' ? { deadline: urgentDeadline() } : {},
      );
      const status = product.status ?? 'UNKNOWN';
      const c = input.confirm;
      if (c && c.logIds.length > 0) {
        const ok = c.expect === 'deactivated' ? status.endsWith('DEACTIVATED') : status === 'ACTIVATE';
        if (ok) {
          await db('inventory_push_log')
            .whereIn('id', c.logIds)
            .whereNull('confirmed_at')
            .update({ confirmed_at: new Date(), outcome: 'confirmed' });
        } else if (c.final) {
          await db('inventory_push_log').whereIn('id', c.logIds).update({ outcome: 'unconfirmed' });
        }
      }
      return status;
    },

    /**
     * Runs one catalog import in checkpointed chunks: parses the stored document, then, CATALOG_IMPORT_CHUNK
     * seller_skus at a time, matches them to the shop's TikTok SKUs (Search Products, then Get Product for each
     * product found, without a deadline) and upserts their catalog_items with the chunk's outcome (one transaction);
     * after each chunk it heartbeats the next chunk's index. A retried attempt resumes there (activityInfo's
     * heartbeatDetails) instead of starting over, so a catalog larger than one attempt's time still finishes. The
     * report sums the chunks. Idempotent: a completed report is returned as it is.
     */
    async importCatalog(input: { shopId: string; importId: string }): Promise<{
      rowsTotal: number;
      rowsImported: number;
      rowsRejected: number;
    }> {
      const report = await db('catalog_import_reports').where({ id: input.importId, shop_id: input.shopId }).first<
        | {
            status: string;
            format: string;
            source: string;
            rows_total: number;
            rows_imported: number;
            rows_rejected: number;
          }
        | undefined
      >();
      if (!report)
        throw ApplicationFailure.nonRetryable(`no catalog import ${input.importId}`, 'CatalogImportNotFound');
      if (report.status === 'completed') {
        return { rowsTotal: report.rows_total, rowsImported: report.rows_imported, rowsRejected: report.rows_rejected };
      }
      const parsed = parseCatalogDocument(report.format, report.source);
      // The API refuses larger documents (413); one stored before a lower limit is refused here, before any call.
      if (parsed.rowsTotal > deps.cfg.CATALOG_IMPORT_MAX_ROWS) {
        throw ApplicationFailure.nonRetryable(
          `${parsed.rowsTotal} rows, more than CATALOG_IMPORT_MAX_ROWS (${deps.cfg.CATALOG_IMPORT_MAX_ROWS})`,
          'CatalogImportTooLarge',
        );
      }
      const sellerSkus = [...new Set(parsed.variants.map((v) => v.sellerSku))];
      const chunks = Math.ceil(sellerSkus.length / CATALOG_IMPORT_CHUNK);
      const checkpoint = catalogCheckpointOf(activityInfo().heartbeatDetails, input.importId);
      const shop = await deps.tokens.shopRef(input.shopId);
      const products = new Map<string, Promise<TikTokSkuRef[]>>(); // Get Product once per product in an attempt
      for (let chunk = checkpoint?.nextChunk ?? 0; chunk < chunks; chunk++) {
        const skus = sellerSkus.slice(chunk * CATALOG_IMPORT_CHUNK, (chunk + 1) * CATALOG_IMPORT_CHUNK);
        const wanted = new Set(skus);
        const refs = await tiktokSkus(shop, skus, products);
        const { matched, errors } = matchCatalog(
          parsed.variants.filter((v) => wanted.has(v.sellerSku)),
          refs,
        );
        const outcome: CatalogChunkOutcome = { matched: matched.map((m) => [m.sellerSku, m.productId]), errors };
        await db.transaction(async (trx) => {
          for (const m of matched) {
            await trx('catalog_items')
              .insert({
                shop_id: input.shopId,
                seller_sku: m.sellerSku,
                parent_key: m.parentKey,
                tiktok_product_id: m.productId,
                tiktok_sku_id: m.skuId,
                warehouse_ids: JSON.stringify(m.warehouseIds),
                attributes: JSON.stringify(m.attributes),
                safety_buffer: m.safetyBuffer,
                title: m.title,
              })
              .onConflict(['shop_id', 'seller_sku'])
              .merge([
                'parent_key',
                'tiktok_product_id',
                'tiktok_sku_id',
                'warehouse_ids',
                'attributes',
                'safety_buffer',
                'title',
                'imported_at',
              ]);
          }
          // Keyed by chunk: a chunk done again (its checkpoint heartbeat lost) replaces its entry, never adds one.
          await trx.raw(
            `UPDATE catalog_import_reports SET progress = jsonb_set(progress, ARRAY[?::text], ?::jsonb) WHERE id = ?`,
            [String(chunk), JSON.stringify(outcome), input.importId],
          );
        });
        heartbeatCheckpoint({ importId: input.importId, nextChunk: chunk + 1, chunks } satisfies CatalogCheckpoint);
      }

      const stored = await db('catalog_import_reports')
        .where({ id: input.importId })
        .first<{ progress: Record<string, CatalogChunkOutcome> }>('progress');
      const done = Object.entries(stored.progress)
        .filter(([chunk]) => Number(chunk) < chunks)
        .map(([, outcome]) => outcome);
      const matched = done.flatMap((o) => o.matched);
      const errors: CatalogRowError[] = sortCatalogErrors([...parsed.errors, ...done.flatMap((o) => o.errors)]);
      await db('catalog_import_reports')
        .where({ id: input.importId })
        .update({
          status: 'completed',
          rows_total: parsed.rowsTotal,
          rows_imported: matched.length,
          rows_rejected: parsed.rowsTotal - matched.length,
          errors: JSON.stringify(errors),
          completed_at: new Date(),
        });
      // Safety buffers may have changed: products that already have stock are recomputed.
      const byProduct = new Map<string, string[]>();
      for (const [sellerSku, productId] of matched)
        byProduct.set(productId, [...(byProduct.get(productId) ?? []), sellerSku]);
      for (const [productId, skus] of byProduct) {
        const stocked: unknown = await db('stock_levels')
          .where({ shop_id: input.shopId })
          .whereIn('seller_sku', skus)
          .first();
        if (stocked) {
          await signalStockChanged({ temporal: deps.temporal, cfg: deps.cfg }, input.shopId, productId, {
            sellerSkus: skus,
            at: new Date().toISOString(),
          });
        }
      }
      return {
        rowsTotal: parsed.rowsTotal,
        rowsImported: matched.length,
        rowsRejected: parsed.rowsTotal - matched.length,
      };
    },

    async failCatalogImport(input: { importId: string; message: string }): Promise<void> {
      await db('catalog_import_reports')
        .where({ id: input.importId })
        .whereNot({ status: 'completed' })
        .update({ status: 'failed', failure: input.message.slice(0, 2000), completed_at: new Date() });
    },

    /**
     * Update Inventory, then Inventory Search until TikTok shows the pushed quantities (up to `confirmAttempts`
     * reads, `confirmIntervalMs` apart): one activity instead of a push and a confirmation per attempt, so an
     * out-of-stock SKU leaves the feed and is confirmed with one round trip to the Temporal server. A retried attempt
     * does not push again what an earlier attempt already sent (same SKU and version in the push log).
     */
    async pushAndConfirmInventory(input: {
      shopId: string;
      productId: string;
      skus: (PushItem & {
        /** What TikTok was last told for this SKU (total), if anything. */
        lastPushedTotal?: number;
        /** Units of orders this feed has heard of (committed) since that push. */
        seenSoldSincePush?: number;
        /** False unless stock came in (restock) or an order was cancelled since that push: never raise TikTok's count. */
        allowIncrease?: boolean;
      })[];
      urgent: boolean;
      confirmAttempts: number;
      confirmIntervalMs: number;
    }): Promise<{
      logIds: Record<string, string>;
      stale: string[];
      failed: string[];
      zeroRefused: boolean;
      productInactive: boolean;
      confirmed: string[];
      /** The quantities sent, per seller_sku (lowered by sales TikTok made that no order workflow has reported yet). */
      sent: Record<string, WarehouseQuantity[]>;
      unseenSold: Record<string, number>;
      /** SKUs not sent because TikTok already shows the (capped) quantities. */
      unchanged: string[];
    }> {
      const ctx = Context.current();
      // TikTok takes sold units off its own count at once; our order workflows report them (committed) later, the
      // more so when a sale keeps them busy, and a push computed in between would hand units TikTok already sold
      // back to the feed. So read TikTok's count first. Without a restock or a cancellation since our last push,
      // nothing can have become sellable again: the push never raises TikTok's count (per warehouse). With one,
      // units TikTok sold since our last push beyond the orders we have heard of are taken off (never below 0).
      const unseenSold: Record<string, number> = {};
      const shownBySku = new Map<string, Map<string, number>>();
      const watched = input.skus.filter((s) => s.lastPushedTotal !== undefined);
      if (watched.length > 0) {
        const shop = await deps.tokens.shopRef(input.shopId);
        const records = await inventorySearch(
          deps.tiktok.client,
          shop,
          { sku_ids: watched.map((s) => s.skuId) },
          input.urgent ? { deadline: urgentDeadline() } : {},
        );
        const current = new Map(records.flatMap((r) => r.skus).map((s) => [s.id, s]));
        for (const s of watched) {
          const onTikTok = current.get(s.skuId);
          if (!onTikTok) continue;
          const byWarehouse = new Map(
            onTikTok.warehouse_inventory.map((w) => [w.warehouse_id, w.available_quantity ?? 0]),
          );
          if (!s.allowIncrease) {
            shownBySku.set(s.sellerSku, byWarehouse);
            continue;
          }
          const shown = [...byWarehouse.values()].reduce((a, q) => a + q, 0);
          const unseen = Math.max(0, s.lastPushedTotal! - shown - (s.seenSoldSincePush ?? 0));
          if (unseen > 0) unseenSold[s.sellerSku] = unseen;
        }
      }
      const skus: PushItem[] = input.skus.map(
        ({ lastPushedTotal: _l, seenSoldSincePush: _s, allowIncrease: _a, ...item }) => {
          const shown = shownBySku.get(item.sellerSku);
          if (shown) {
            const inventory = item.inventory.map((w) => ({
              ...w,
              quantity: Math.min(w.quantity, shown.get(w.warehouse_id) ?? w.quantity),
            }));
            const held = totalQuantity(item.inventory) - totalQuantity(inventory);
            if (held > 0) unseenSold[item.sellerSku] = held;
            return { ...item, inventory };
          }
          let cut = unseenSold[item.sellerSku] ?? 0;
          if (cut === 0) return item;
          const inventory = item.inventory.map((w) => {
            const take = Math.min(cut, w.quantity);
            cut -= take;
            return { ...w, quantity: w.quantity - take };
          });
          return { ...item, inventory };
        },
      );
      // Capped to exactly what TikTok shows already: nothing to send (a send could only race a sale upward).
      const unchanged = skus
        .filter((item) => {
          const shown = shownBySku.get(item.sellerSku);
          return shown !== undefined && item.inventory.every((w) => shown.get(w.warehouse_id) === w.quantity);
        })
        .map((item) => item.sellerSku);
      input = { ...input, skus: skus.filter((item) => !unchanged.includes(item.sellerSku)) };
      const earlier =
        ctx.info.attempt > 1
          ? await db('inventory_push_log')
              .where({ shop_id: input.shopId, tiktok_product_id: input.productId, action: 'quantity' })
              .whereIn(
                'seller_sku',
                input.skus.map((s) => s.sellerSku),
              )
              .whereIn('outcome', ['requested', 'confirmed'])
              .select<{ id: string; seller_sku: string; version: number }[]>('id', 'seller_sku', 'version')
          : [];
      const alreadySent = (s: PushItem) =>
        earlier.find((r) => r.seller_sku === s.sellerSku && Number(r.version) === s.version);
      const toPush = input.skus.filter((s) => !alreadySent(s));
      const pushed = toPush.length
        ? await activities.pushInventory({ ...input, skus: toPush })
        : { logIds: {}, stale: [], failed: [], zeroRefused: false, productInactive: false };
      const logIds: Record<string, string> = { ...pushed.logIds };
      for (const s of input.skus) {
        const row = alreadySent(s);
        if (row) logIds[s.sellerSku] = String(row.id);
      }
      const confirmed: string[] = [];
      const sent = Object.fromEntries(skus.map((s) => [s.sellerSku, s.inventory]));
      if (pushed.productInactive) return { ...pushed, logIds, confirmed, sent, unseenSold, unchanged };
      let pending = input.skus.filter((s) => logIds[s.sellerSku] !== undefined);
      for (let attempt = 0; pending.length > 0 && attempt < input.confirmAttempts; attempt++) {
        if (attempt > 0) await ctx.sleep(input.confirmIntervalMs);
        ctx.heartbeat({ attempt });
        const ok = await activities.confirmInventory({
          shopId: input.shopId,
          productId: input.productId,
          expected: pending.map((s) => ({ skuId: s.skuId, inventory: s.inventory, logId: logIds[s.sellerSku]! })),
          final: attempt === input.confirmAttempts - 1,
        });
        confirmed.push(...ok);
        pending = pending.filter((s) => !ok.includes(s.skuId));
      }
      return { ...pushed, logIds, confirmed, sent, unseenSold, unchanged };
    },
  };
  return activities;

  /**
   * The TikTok SKUs (with their warehouses) of every product that has one of these seller_skus; `products` keeps each
   * product's Get Product across the chunks of one attempt.
   */
  async function tiktokSkus(
    shop: ShopRef,
    sellerSkus: string[],
    products: Map<string, Promise<TikTokSkuRef[]>>,
  ): Promise<TikTokSkuRef[]> {
    const productIds = new Set<string>();
    for (let i = 0; i < sellerSkus.length; i += 50) {
      let pageToken: string | undefined;
      do {
        const page = await searchProducts(deps.tiktok.client, shop, {
          page_size: 100,
          page_token: pageToken,
          seller_skus: sellerSkus.slice(i, i + 50),
        });
        for (const p of page.products) productIds.add(p.id);
        pageToken = page.next_page_token || undefined;
      } while (pageToken);
    }
    const refs: TikTokSkuRef[] = [];
    for (const productId of productIds) {
      let skus = products.get(productId);
      if (!skus) {
        skus = skusOf(shop, productId);
        products.set(productId, skus);
      }
      refs.push(...(await skus));
    }
    return refs;
  }

  async function skusOf(shop: ShopRef, productId: string): Promise<TikTokSkuRef[]> {
    const product = await getProduct(deps.tiktok.client, shop, { product_id: productId });
    return product.skus.flatMap((s) =>
      s.seller_sku
        ? [
            {
              productId,
              skuId: s.id,
              sellerSku: s.seller_sku,
              warehouseIds: (s.inventory ?? []).map((w) => w.warehouse_id).filter((w): w is string => Boolean(w)),
              productTitle: product.title,
            },
          ]
        : [],
    );
  }
}
