import type { Db } from './knex';

/** A catalog_items row: a seller SKU matched to its TikTok product, SKU and warehouses. */
export interface CatalogItemRow {
  seller_sku: string;
  tiktok_product_id: string;
  tiktok_sku_id: string;
  warehouse_ids: string[];
  safety_buffer: number | null;
  /** The latest version the inventory feed handed to TikTok for this SKU (bigint: a string). */
  feed_version: string;
}

/** One catalog row matched to TikTok, as an import stores it. */
export interface MatchedCatalogItem {
  sellerSku: string;
  parentKey: string;
  productId: string;
  skuId: string;
  warehouseIds: string[];
  attributes: unknown;
  safetyBuffer: number | null;
  title: string | null;
}

export interface CatalogImportReportRow {
  id: string;
  shop_id: string;
  format: string;
  status: string;
  source: string;
  rows_total: number;
  rows_imported: number;
  rows_rejected: number;
  errors: unknown;
  failure: string | null;
  created_at: Date;
  completed_at: Date | null;
}

/** The catalog (seller SKUs matched to TikTok) and the catalog imports that fill it. */
export function createCatalogRepository(db: Db) {
  return {
    /** Every catalog SKU of one TikTok product, by seller_sku. */
    async itemsOfProduct(shopId: string, productId: string): Promise<CatalogItemRow[]> {
      return (await db('catalog_items')
        .where({ shop_id: shopId, tiktok_product_id: productId })
        .orderBy('seller_sku')) as CatalogItemRow[];
    },

    async itemsBySellerSku(
      shopId: string,
      sellerSkus: string[],
    ): Promise<Pick<CatalogItemRow, 'seller_sku' | 'tiktok_product_id' | 'warehouse_ids'>[]> {
      return db('catalog_items')
        .where({ shop_id: shopId })
        .whereIn('seller_sku', sellerSkus)
        .select('seller_sku', 'tiktok_product_id', 'warehouse_ids');
    },

    async itemsByTikTokSku(
      shopId: string,
      skuIds: string[],
    ): Promise<Pick<CatalogItemRow, 'seller_sku' | 'tiktok_sku_id' | 'tiktok_product_id'>[]> {
      if (skuIds.length === 0) return [];
      return db('catalog_items')
        .where({ shop_id: shopId })
        .whereIn('tiktok_sku_id', skuIds)
        .select<Pick<CatalogItemRow, 'seller_sku' | 'tiktok_sku_id' | 'tiktok_product_id'>[]>(
          'seller_sku',
          'tiktok_sku_id',
          'tiktok_product_id',
        );
    },

    /**
     * Claims `version` as the SKU's feed version unless a newer one was handed to TikTok already; false: this
     * version is stale. Equal versions pass (a retried push sends the same numbers again).
     */
    async claimFeedVersion(shopId: string, sellerSku: string, version: number): Promise<boolean> {
      const n = await db('catalog_items')
        .where({ shop_id: shopId, seller_sku: sellerSku })
        .andWhere('feed_version', '<=', version)
        .update({ feed_version: version });
      return n > 0;
    },

    async feedVersions(shopId: string, sellerSkus: string[]): Promise<{ seller_sku: string; feed_version: number }[]> {
      return db('catalog_items')
        .where({ shop_id: shopId })
        .whereIn('seller_sku', sellerSkus)
        .select<{ seller_sku: string; feed_version: number }[]>('seller_sku', 'feed_version');
    },

    async createImport(report: { id: string; shopId: string; format: 'csv' | 'json'; source: string }): Promise<void> {
      await db('catalog_import_reports').insert({
        id: report.id,
        shop_id: report.shopId,
        format: report.format,
        source: report.source,
      });
    },

    async importReport(shopId: string, id: string): Promise<CatalogImportReportRow | undefined> {
      return db('catalog_import_reports').where({ id, shop_id: shopId }).first<CatalogImportReportRow | undefined>();
    },

    /**
     * One chunk of an import, in one transaction: its matched rows upserted into catalog_items and its outcome kept
     * in the report's progress under the chunk's index (a chunk done again replaces its entry, never adds one).
     */
    async saveImportChunk(
      shopId: string,
      importId: string,
      chunk: number,
      matched: MatchedCatalogItem[],
      outcome: unknown,
    ): Promise<void> {
      await db.transaction(async (trx) => {
        for (const m of matched) {
          await trx('catalog_items')
            .insert({
              shop_id: shopId,
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
        await trx.raw(
          `UPDATE catalog_import_reports SET progress = jsonb_set(progress, ARRAY[?::text], ?::jsonb) WHERE id = ?`,
          [String(chunk), JSON.stringify(outcome), importId],
        );
      });
    },

    /** The outcomes of the chunks stored so far, by chunk index. */
    async importProgress<T>(importId: string): Promise<Record<string, T>> {
      const stored = await db('catalog_import_reports')
        .where({ id: importId })
        .first<{ progress: Record<string, T> }>('progress');
      return stored.progress;
    },

    async completeImport(
      importId: string,
      totals: { rowsTotal: number; rowsImported: number; rowsRejected: number; errors: unknown },
    ): Promise<void> {
      await db('catalog_import_reports')
        .where({ id: importId })
        .update({
          status: 'completed',
          rows_total: totals.rowsTotal,
          rows_imported: totals.rowsImported,
          rows_rejected: totals.rowsRejected,
          errors: JSON.stringify(totals.errors),
          completed_at: new Date(),
        });
    },

    /** Marks an import failed, unless it completed. */
    async failImport(importId: string, message: string): Promise<void> {
      await db('catalog_import_reports')
        .where({ id: importId })
        .whereNot({ status: 'completed' })
        .update({ status: 'failed', failure: message.slice(0, 2000), completed_at: new Date() });
    },
  };
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
