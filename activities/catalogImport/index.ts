import type { Client } from '@temporalio/client';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AppConfig } from '../../config';
import { createCatalogRepository } from '../../db/catalog';
import { createInventoryRepository } from '../../db/inventory';
import type { Db } from '../../db/knex';
import {
  matchCatalog,
  parseCatalogDocument,
  sortCatalogErrors,
  type CatalogRowError,
  type TikTokSkuRef,
} from '../../integrations/erp/catalogExport';
import { heartbeatCheckpoint } from '../../integrations/tiktok/activityHooks';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { signalStockChanged } from '../../temporal/inventoryFeed';
import { createTikTokSkuLookup } from './tiktokSkus';

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

/** What the catalog import's activities reach the outside world through. */
export interface CatalogImportDeps {
  cfg: AppConfig;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient };
  tokens: TokenStore;
}

/** The catalogImport workflow's activities: the checkpointed import and, when it fails for good, its report. */
export function createCatalogImportActivities(deps: CatalogImportDeps) {
  const catalog = createCatalogRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const tiktokSkus = createTikTokSkuLookup(deps);

  return {
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
      const report = await catalog.importReport(input.shopId, input.importId);
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
        // Keyed by chunk: a chunk done again (its checkpoint heartbeat lost) replaces its entry, never adds one.
        await catalog.saveImportChunk(input.shopId, input.importId, chunk, matched, outcome);
        heartbeatCheckpoint({ importId: input.importId, nextChunk: chunk + 1, chunks } satisfies CatalogCheckpoint);
      }

      const progress = await catalog.importProgress<CatalogChunkOutcome>(input.importId);
      const done = Object.entries(progress)
        .filter(([chunk]) => Number(chunk) < chunks)
        .map(([, outcome]) => outcome);
      const matched = done.flatMap((o) => o.matched);
      const errors: CatalogRowError[] = sortCatalogErrors([...parsed.errors, ...done.flatMap((o) => o.errors)]);
      await catalog.completeImport(input.importId, {
        rowsTotal: parsed.rowsTotal,
        rowsImported: matched.length,
        rowsRejected: parsed.rowsTotal - matched.length,
        errors,
      });
      // Safety buffers may have changed: products that already have stock are recomputed.
      const byProduct = new Map<string, string[]>();
      for (const [sellerSku, productId] of matched)
        byProduct.set(productId, [...(byProduct.get(productId) ?? []), sellerSku]);
      for (const [productId, skus] of byProduct) {
        if (await inventory.anyStocked(input.shopId, skus)) {
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
      await catalog.failImport(input.importId, input.message);
    },
  };
}

export type CatalogImportActivities = ReturnType<typeof createCatalogImportActivities>;
