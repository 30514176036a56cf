import crypto from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { createCatalogRepository } from '../../db/catalog';
import { createShopRepository } from '../../db/shops';
import { parseCatalogDocument } from '../../integrations/erp/catalogExport';
import { catalogImportWorkflowId } from '../../workflows/ids';
import { catalogImport } from '../../workflows/catalogImport/workflow';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const shopIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'shop ids are 1-64 letters, digits, "_" or "-"');
const ImportParams = z.object({ shopId: shopIdSchema });
const ReportParams = z.object({ shopId: shopIdSchema, id: z.string().regex(/^imp_[0-9a-f]{32}$/) });

const IMPORT_SOURCE = 'api:POST /v1/shops/:shopId/catalog/imports';
/** How much of a refused (too large) catalog the dead-letter table keeps, beside its sha256. */
const DEAD_LETTER_KEPT_BYTES = 4096;

/** Catalog imports: an ERP export (CSV or JSON) matched to the shop's TikTok SKUs by a catalogImport workflow. */
export function catalogImportRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const catalog = createCatalogRepository(deps.db);
  const shops = createShopRepository(deps.db);

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
      if (!(await shops.connected(shopId)))
        throw new HttpError(404, 'not_found', `shop ${shopId} is not connected to TikTok`);
      const id = `imp_${crypto.randomBytes(16).toString('hex')}`;
      await catalog.createImport({ id, shopId, format: isCsv ? 'csv' : 'json', source });
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
    const row = await catalog.importReport(shopId, id);
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

  return router;
}
