import { WorkflowFailedError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { bundleRef } from '../../activities/evidenceBundle';
import { createEvidenceBundleRepository, type EvidenceBundleRow } from '../../db/evidenceBundles';
import { evidenceBundleWorkflowId } from '../../workflows/ids';
import { evidenceBundle } from '../../workflows/evidenceBundle/workflow';
import { ShopId } from '../../workflows/shared/searchAttributes';
import { decidedByCaller, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const caseKind = z.enum(['return', 'chargeback', 'dispute_appeal']);
const ShopParams = z.object({ shopId: id });
const BundleParams = z.object({ shopId: id, bundleId: z.uuid('a bundle id is a UUID') });
const ListQuery = z.object({
  caseKind: caseKind.optional(),
  caseId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const BuildBody = z.strictObject({ caseKind, caseId: id, orderId: id });

/**
 * Evidence bundles (issue 16): the PDFs built for a shop's cases, listed by case, described, downloaded; and one built
 * on request (the evidenceBundle workflow runs the same activity the case workflows call). Shop-scoped: another shop's
 * key sees none.
 */
export function evidenceBundleRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const bundles = createEvidenceBundleRepository(deps.db);
  const describe = (row: EvidenceBundleRow) => ({
    ...bundleRef(row),
    shopId: row.shop_id,
    caseKind: row.case_kind,
    caseId: row.case_id,
    orderId: row.order_id,
    requestedBy: row.requested_by,
    content: `/v1/shops/${encodeURIComponent(row.shop_id)}/evidence-bundles/${row.bundle_id}/content`,
  });
  const found = async (shopId: string, bundleId: string) => {
    const row = await bundles.get(shopId, bundleId);
    if (!row) throw new HttpError(404, 'not_found', `no evidence bundle ${bundleId} for shop ${shopId}`);
    return row;
  };

  router.get('/v1/shops/:shopId/evidence-bundles', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    const rows = await bundles.list(shopId, q);
    res.json({ bundles: rows.map(describe) });
  });

  router.post('/v1/shops/:shopId/evidence-bundles', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const body = parseOr400(BuildBody, req.body, 'body');
    let ref;
    try {
      ref = await deps.temporal.workflow.execute(evidenceBundle, {
        workflowId: evidenceBundleWorkflowId(shopId, body.caseKind, body.caseId),
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        // A second request while one builds joins it; a later one builds again (unchanged data: the same file).
        workflowIdConflictPolicy: 'USE_EXISTING',
        // Found by shop in Temporal's lists like every other process of the shop.
        typedSearchAttributes: [{ key: ShopId, value: shopId }],
        args: [{ shopId, ...body, requestedBy: decidedByCaller(req) }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      const cause = err.cause instanceof Error && err.cause.cause instanceof Error ? err.cause.cause : err.cause;
      throw new HttpError(
        502,
        'bundle_failed',
        `the evidence bundle could not be built: ${cause?.message ?? err.message}`,
      );
    }
    res
      .status(201)
      .location(`/v1/shops/${encodeURIComponent(shopId)}/evidence-bundles/${ref.bundleId}`)
      .json(describe(await found(shopId, ref.bundleId)));
  });

  router.get('/v1/shops/:shopId/evidence-bundles/:bundleId', viewer, async (req, res) => {
    const { shopId, bundleId } = parseOr400(BundleParams, req.params, 'params');
    requireShop(req, shopId);
    res.json(describe(await found(shopId, bundleId)));
  });

  router.get('/v1/shops/:shopId/evidence-bundles/:bundleId/content', viewer, async (req, res) => {
    const { shopId, bundleId } = parseOr400(BundleParams, req.params, 'params');
    requireShop(req, shopId);
    const row = await found(shopId, bundleId);
    const file = await deps.files.get(shopId, row.file_id);
    // The file store deletes files after their retention (FILE_RETENTION_DAYS); the row outlives them.
    if (!file) throw new HttpError(410, 'gone', `the PDF of evidence bundle ${bundleId} is no longer stored`);
    const name = `evidence-${row.case_kind}-${row.case_id}-${row.data_as_of.toISOString().slice(0, 10)}.pdf`;
    res
      .status(200)
      .type('application/pdf')
      .set({
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'private, max-age=0',
        ETag: `"${row.file_id}"`,
      })
      .send(file.bytes);
  });

  return router;
}
