import express, { Router } from 'express';
import { z } from 'zod';
import { createTaxSalesRepository } from '../../db/taxSales';
import { salesImportRows, validateSalesImport } from '../../tax/salesImport';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ShopParams = z.object({
  shopId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"'),
});
export const SALES_IMPORT_SOURCE = 'api:POST /v1/shops/:shopId/tax/sales-imports';
/** Rows per request: an import is validated and answered in one go. */
const MAX_ROWS = 50_000;

/**
 * Sales of other channels for the tax report (issue 20 item 1): CSV (text/csv, a header row) or JSON, every row
 * validated on its own (tax/salesImport.ts). Accepted rows are upserted (a re-import replaces them); each rejected row
 * is answered with its errors and kept in the dead-letter table (source SALES_IMPORT_SOURCE) with the row itself; the
 * days of each channel's accepted rows are recorded as covered history.
 */
export function taxSalesRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const taxSales = createTaxSalesRepository(deps.db);

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
