import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { createShopRepository } from '../../db/shops';
import { createTaxSalesRepository } from '../../db/taxSales';
import { salesImportRows, validateSalesImport } from '../../tax/salesImport';
import { describeTaxHistoryBackfill, startTaxHistoryBackfill } from '../../temporal/taxHistoryBackfill';
import { DEFAULT_BACKFILL_MONTHS, MAX_BACKFILL_MONTHS } from '../../workflows/taxHistoryBackfill/messages';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ShopParams = z.object({
  shopId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"'),
});
export const SALES_IMPORT_SOURCE = 'api:POST /v1/shops/:shopId/tax/sales-imports';
/** Rows per request: an import is validated and answered in one go. */
const MAX_ROWS = 50_000;

const StartBody = z
  .strictObject({ months: z.number().int().min(1).max(MAX_BACKFILL_MONTHS).optional() })
  .optional()
  .transform((b) => ({ months: b?.months ?? DEFAULT_BACKFILL_MONTHS }));

/**
 * The tax-history backfill (issue 20 item 1): an operator starts it for a shop (months of Finance API history, at
 * the lowest priority of the shop's rate budget); anyone with the shop in scope reads its progress and the history
 * coverage the monthly report relies on (which day ranges of each source were fetched or imported). Sales of other
 * channels come in through the import: CSV (text/csv, a header row) or JSON, every row validated on its own
 * (tax/salesImport.ts); accepted rows are upserted (a re-import replaces them), each rejected row is answered with its
 * errors and kept in the dead-letter table (source SALES_IMPORT_SOURCE) with the row itself, and the days of each
 * channel's accepted rows are recorded as covered history.
 */
export function taxHistoryBackfillRoutes(deps: ApiDeps): Router {
  const taxSales = createTaxSalesRepository(deps.db);
  const shops = createShopRepository(deps.db);
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');

  async function connectedShop(req: Request): Promise<string> {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    if (!(await shops.connected(shopId)))
      throw new HttpError(404, 'not_found', `shop ${shopId} is not connected to TikTok`);
    return shopId;
  }

  router.post('/v1/shops/:shopId/tax/backfill', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const { months } = parseOr400(StartBody, req.body, 'body');
    await connectedShop(req);
    const out = await startTaxHistoryBackfill(deps.temporal, deps.config, { shopId, months });
    res.status(out.started ? 202 : 200).json({ ...out, shopId, months, status: 'RUNNING' });
  });

  router.get('/v1/shops/:shopId/tax/backfill', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const found = await describeTaxHistoryBackfill(deps.temporal, shopId);
    if (!found) throw new HttpError(404, 'not_found', `shop ${shopId} has no tax-history backfill`);
    res.json({ shopId, ...found });
  });

  router.get('/v1/shops/:shopId/tax/coverage', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    res.json({ shopId, coverage: await taxSales.coverage(shopId) });
  });

  router.post(
    '/v1/shops/:shopId/tax/sales-imports',
    operator,
    express.text({ type: ['text/csv', 'text/plain'], limit: '20mb' }),
    async (req, res) => {
      const { shopId } = parseOr400(ShopParams, req.params, 'params');
      requireShop(req, shopId);
      const isCsv = typeof req.body === 'string';
      if (isCsv ? (req.body as string).trim() === '' : req.body === undefined || typeof req.body !== 'object') {
        throw new HttpError(400, 'invalid_request', 'send the sales as text/csv (a header row) or application/json');
      }
      let rows: Record<string, unknown>[];
      try {
        rows = salesImportRows(isCsv ? 'csv' : 'json', isCsv ? (req.body as string) : JSON.stringify(req.body));
      } catch (err) {
        throw new HttpError(400, 'invalid_request', `the document does not parse: ${(err as Error).message}`);
      }
      if (rows.length > MAX_ROWS) {
        throw new HttpError(413, 'too_many_rows', `${rows.length} rows; at most ${MAX_ROWS} per import: split it`);
      }
      const result = validateSalesImport(shopId, rows);
      await taxSales.upsertLines(result.accepted);
      for (const r of result.rejected) {
        await deps.deadLetters.record({
          source: SALES_IMPORT_SOURCE,
          shopId,
          reason: `rejected sales row ${r.row}: ${r.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
          details: { row: r.row, errors: r.errors },
          rawBody: JSON.stringify(r.raw),
        });
      }
      const days = new Map<string, { from: string; to: string }>();
      for (const l of result.accepted) {
        const day = new Date(l.occurredAt).toISOString().slice(0, 10);
        const d = days.get(l.channel) ?? { from: day, to: day };
        days.set(l.channel, { from: day < d.from ? day : d.from, to: day > d.to ? day : d.to });
      }
      for (const [channel, d] of days) await taxSales.recordCoverage(shopId, `import:${channel}`, d.from, d.to);
      res.status(200).json({
        shopId,
        rows: rows.length,
        accepted: result.accepted.length,
        rejected: result.rejected.length,
        errors: result.rejected.flatMap((r) => r.errors),
      });
    },
  );

  return router;
}
