// The routes every reconciliation has (orders: api/routes/orderReconciliation.ts, returns:
// api/routes/returnReconciliation.ts): the shop's Schedule, watermark and latest runs; a trigger for operators.
import { ScheduleNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { createReconciliationRepository, type ReconciliationKind } from '../db/reconciliation';
import { createShopRepository } from '../db/shops';
import { reconciliationInterval } from '../shopSettings/reconciliation';
import {
  describeReconciliationSchedule,
  ensureReconciliationSchedule,
  triggerReconciliation,
} from '../temporal/reconciliation';
import { requireRole, requireShop } from './auth';
import type { ApiDeps } from './deps';
import { HttpError, parseOr400 } from './errors';

const ShopParams = z.object({
  shopId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"'),
});
const RunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * `GET <path>` (viewer): the shop's Schedule of `kind` (state, interval, next firings), watermark and latest runs with
 * their counts. `POST <path>/trigger` (operator): runs it now (skipped while a run is going); a connected, authorized
 * shop without the Schedule (connected before it existed) gets one first.
 */
export function reconciliationRoutes(deps: ApiDeps, kind: ReconciliationKind, path: string): Router {
  const router = Router();
  const reconciliation = createReconciliationRepository(deps.db, kind);
  const shops = createShopRepository(deps.db);

  router.get(path, requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const { limit } = parseOr400(RunsQuery, req.query, 'query');
    const schedule = await describeReconciliationSchedule({ temporal: deps.temporal }, kind, shopId);
    const watermark = await reconciliation.watermark(shopId);
    const runs = await reconciliation.latestRuns(shopId, limit);
    if (!schedule && !watermark && runs.length === 0) {
      if ((await shops.region(shopId)) === undefined)
        throw new HttpError(404, 'not_found', `shop ${shopId} is not registered`);
    }
    res.json({
      shopId,
      kind,
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
        seen: r.seen,
        started: r.workflows_started,
        signalled: r.workflows_signalled,
        alreadyClosed: r.already_closed,
        alreadyNotified: r.already_notified,
        error: r.error,
        startedAt: iso(r.started_at),
        finishedAt: iso(r.finished_at),
      })),
    });
  });

  router.post(`${path}/trigger`, requireRole(deps.apiKeys, 'operator'), async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    let created = false;
    try {
      await triggerReconciliation({ temporal: deps.temporal }, kind, shopId);
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      const shop = await shops.connected(shopId);
      if (!shop) throw new HttpError(404, 'not_found', `shop ${shopId} is not connected to TikTok`);
      if (shop.authorization_status !== 'authorized')
        throw new HttpError(409, 'authorization_revoked', `shop ${shopId}'s authorization is revoked`);
      const every = await reconciliationInterval({ db: deps.db, cfg: deps.config }, kind, shopId);
      const scheduleDeps = { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
      await ensureReconciliationSchedule(scheduleDeps, kind, shopId, every);
      created = true;
      await triggerReconciliation({ temporal: deps.temporal }, kind, shopId);
    }
    res.status(202).json({ shopId, kind, triggered: true, scheduleCreated: created });
  });

  return router;
}
