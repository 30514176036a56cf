import { ScheduleNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import {
  describeReconciliationSchedule,
  ensureReconciliationSchedule,
  triggerReconciliation,
} from '../../temporal/orderReconciliation';
import { createOrderReconciliationRepository } from '../../db/orderReconciliation';
import { createShopRepository } from '../../db/shops';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ShopParams = z.object({
  shopId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"'),
});
const RunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * Order reconciliation of a shop: its `reconcile-orders:<shopId>` Schedule (state, next firings), watermark and
 * latest runs with their counts; operators can run it now.
 */
export function orderReconciliationRoutes(deps: ApiDeps): Router {
  const router = Router();
  const reconciliation = createOrderReconciliationRepository(deps.db);
  const shops = createShopRepository(deps.db);

  router.get('/v1/shops/:shopId/reconciliation', requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const { limit } = parseOr400(RunsQuery, req.query, 'query');
    const schedule = await describeReconciliationSchedule({ temporal: deps.temporal }, shopId);
    const watermark = await reconciliation.watermark(shopId);
    const runs = await reconciliation.latestRuns(shopId, limit);
    if (!schedule && !watermark && runs.length === 0) {
      if ((await shops.region(shopId)) === undefined)
        throw new HttpError(404, 'not_found', `shop ${shopId} is not registered`);
    }
    res.json({
      shopId,
      schedule: schedule ?? null,
      watermark: watermark
        ? { updatedSince: iso(watermark.updated_since), updatedAt: iso(watermark.updated_at) }
        : null,
      runs: runs.map((r) => ({
        workflowId: r.workflow_id,
        runId: r.run_id,
        status: r.status,
        searchedFrom: iso(r.searched_from),
        watermarkBefore: iso(r.watermark_before),
        watermarkAfter: iso(r.watermark_after),
        pages: r.pages,
        seen: r.orders_seen,
        started: r.workflows_started,
        signalled: r.workflows_signalled,
        alreadyClosed: r.already_closed,
        error: r.error,
        startedAt: iso(r.started_at),
        finishedAt: iso(r.finished_at),
      })),
    });
  });

  /**
   * Runs the reconciliation now (skipped while a run is going). A connected, authorized shop without a schedule
   * (connected before schedules existed) gets one first.
   */
  router.post('/v1/shops/:shopId/reconciliation/trigger', requireRole(deps.apiKeys, 'operator'), async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    let created = false;
    try {
      await triggerReconciliation({ temporal: deps.temporal }, shopId);
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      const shop = await shops.connected(shopId);
      if (!shop) throw new HttpError(404, 'not_found', `shop ${shopId} is not connected to TikTok`);
      if (shop.authorization_status !== 'authorized')
        throw new HttpError(409, 'authorization_revoked', `shop ${shopId}'s authorization is revoked`);
      await ensureReconciliationSchedule({ temporal: deps.temporal, cfg: deps.config }, shopId);
      created = true;
      await triggerReconciliation({ temporal: deps.temporal }, shopId);
    }
    res.status(202).json({ shopId, triggered: true, scheduleCreated: created });
  });

  return router;
}
