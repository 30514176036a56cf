import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { createAffiliateFindingsRepository } from '../../db/affiliateFindings';
import { startAffiliateAudit, triggerAffiliateAudit } from '../../temporal/affiliateAudit';
import { getAffiliateAuditQuery } from '../../workflows/affiliateAudit/messages';
import { parsePeriod, periodStarted } from '../../workflows/affiliateAudit/period';
import { affiliateAuditWorkflowId } from '../../workflows/ids';
import { requireRole, requireShop, shopFilter } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const periodKey = z.string().regex(/^[0-9.-]{7,22}$/, 'a period: 2026-11 or 2026-11-23..2026-11-30');
const ShopParams = z.object({ shopId: id });
const AuditParams = z.object({ shopId: id, period: periodKey });
const FindingParams = z.object({ shopId: id, findingId: z.string().regex(/^[0-9a-f]{32}$/, 'a finding id') });
const CadenceParams = z.object({ shopId: id, cadence: z.enum(['weekly', 'monthly']) });
const StartBody = z.strictObject({ period: z.string().max(30), sync: z.boolean().optional() });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const FindingsQuery = z.object({
  period: periodKey.optional(),
  kind: z
    .enum([
      'double_credit',
      'double_attribution',
      'refunded_units',
      'early_rate_cut',
      'creator_rto',
      'creator_gmv_per_view',
    ])
    .optional(),
  creator: z.string().min(1).max(128).optional(),
  after: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * Affiliate commission audits (the affiliateAudit workflow): the shop's audits and their findings (PostgreSQL), one
 * audit as the workflow sees it, a start by hand for any past period and a firing of the shop's Schedule now. The
 * decisions on proposed actions go through the human-step routes (POST /v1/human-steps/:id/decision).
 */
export function affiliateAuditRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const repo = createAffiliateFindingsRepository(deps.db);
  const temporalDeps = { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };

  router.get('/v1/shops/:shopId/affiliate-audits', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    const audits = await repo.listAudits(shopFilter(req), shopId, q.limit);
    res.json({
      audits: audits.map((a) => ({
        periodKey: a.period_key,
        from: a.period_from,
        to: a.period_to,
        workflowId: a.workflow_id,
        status: a.status,
        linesSeen: a.lines_seen,
        summary: a.summary,
        startedAt: a.started_at,
        finishedAt: a.finished_at,
      })),
    });
  });

  router.post('/v1/shops/:shopId/affiliate-audits', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const body = parseOr400(StartBody, req.body, 'body');
    const period = parsePeriod(body.period);
    if ('error' in period) throw new HttpError(400, 'invalid_period', period.error);
    if (!periodStarted(period, Date.now()))
      throw new HttpError(
        400,
        'period_not_started',
        `the period ${period.key} starts ${period.from}: nothing to audit yet`,
      );
    const started = await startAffiliateAudit(temporalDeps, shopId, period, { sync: body.sync });
    res.status(202).json({ shopId, period, ...started });
  });

  router.post('/v1/shops/:shopId/affiliate-audits/schedules/:cadence/trigger', operator, async (req, res) => {
    const { shopId, cadence } = parseOr400(CadenceParams, req.params, 'params');
    requireShop(req, shopId);
    if (!(await triggerAffiliateAudit(deps, shopId, cadence)))
      throw new HttpError(404, 'not_found', `shop ${shopId} has no ${cadence} audit Schedule (not authorized yet)`);
    res.status(202).json({ shopId, cadence, triggered: true });
  });

  router.get('/v1/shops/:shopId/affiliate-audits/:period', viewer, async (req, res) => {
    const { shopId, period } = parseOr400(AuditParams, req.params, 'params');
    requireShop(req, shopId);
    try {
      const view = await deps.temporal.workflow
        .getHandle(affiliateAuditWorkflowId(shopId, period))
        .query(getAffiliateAuditQuery);
      res.json(view);
      return;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    // Temporal no longer keeps it (retention): what the audit recorded.
    const audit = await repo.getAudit(shopId, period);
    if (!audit) throw new HttpError(404, 'not_found', `no affiliate audit of ${period}`);
    const actions = await repo.listActions(shopId, period);
    res.json({
      shopId,
      period: { key: audit.period_key, from: audit.period_from, to: audit.period_to },
      stage: audit.status,
      summary: audit.summary,
      recorded: true,
      actions: actions.map((a) => ({
        actionId: a.id,
        kind: a.kind,
        title: a.title,
        money: a.money_at_stake,
        status: a.status,
        decidedBy: a.decided_by,
        decidedAt: a.decided_at,
        detail: a.result,
      })),
    });
  });

  router.get('/v1/shops/:shopId/affiliate-findings', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(FindingsQuery, req.query, 'query');
    const rows = await repo.list({
      shopId,
      ...(q.period ? { periodKey: q.period } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.creator ? { creator: q.creator } : {}),
      ...(q.after ? { afterId: q.after } : {}),
      limit: q.limit,
    });
    res.json({ findings: rows.map(findingOut), next: rows.length === q.limit ? rows.at(-1)?.id : null });
  });

  router.get('/v1/shops/:shopId/affiliate-findings/:findingId', viewer, async (req, res) => {
    const { shopId, findingId } = parseOr400(FindingParams, req.params, 'params');
    requireShop(req, shopId);
    const row = await repo.get(shopId, findingId);
    if (!row) throw new HttpError(404, 'not_found', `no finding ${findingId}`);
    res.json(findingOut(row));
  });

  return router;
}

function findingOut(r: Awaited<ReturnType<ReturnType<typeof createAffiliateFindingsRepository>['list']>>[number]) {
  return {
    id: r.id,
    periodKey: r.period_key,
    kind: r.kind,
    orderId: r.order_id,
    productId: r.product_id,
    creatorUsername: r.creator_username,
    collaborationId: r.collaboration_id,
    moneyAtStake: r.money_at_stake,
    currency: r.currency,
    sourceLineIds: r.source_line_ids,
    detail: r.detail,
  };
}
