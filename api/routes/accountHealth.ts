import { WorkflowNotFoundError } from '@temporalio/client';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { computeAccountHealth } from '../../accountHealth';
import type { HealthSnapshot, MetricKey } from '../../accountHealth/model';
import { createAccountHealthRepository } from '../../db/accountHealth';
import { createShopRepository } from '../../db/shops';
import { describeAccountHealthSchedule, recordAccountHealthViolation } from '../../temporal/accountHealth';
import { accountHealthWorkflowId } from '../../workflows/ids';
import { getAccountHealthQuery, type AccountHealthView } from '../../workflows/accountHealth/messages';
import { accountHealthChartSpec, renderVegaSvg, type AccountHealthChart } from '../accountHealthChart';
import { decidedByCaller, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';
import { decisionFailure } from './humanSteps';
import { ShopRegistrationBody } from './shopLifecycle';

const ShopParams = z.object({ shopId: ShopRegistrationBody.shape.shopId });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'days are YYYY-MM-DD');
const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;
const RangeQuery = z.object({ from: day.optional(), to: day.optional() });
const SERIES = ['score', 'ldr', 'vtr', 'sfcr', 'otdr', 'responseRate'] as const;
const ChartQuery = RangeQuery.extend({ metric: z.enum(SERIES).default('score') });

/** The recordViolation update's input without `decidedBy`, which is the caller's key (a body naming one is refused). */
export const ViolationBody = z.strictObject({
  noticeId: z.string().trim().min(1).max(100),
  policy: z.string().trim().min(1).max(200),
  points: z.number().int().min(1).max(1000),
  occurredAt: z.iso.datetime({ offset: true }),
  note: z.string().max(1000).optional(),
});

/** The days of a history query: `to` defaults to today (UTC), `from` to HISTORY_DAYS before `to`. */
function range(q: { from?: string; to?: string }, now = Date.now()): { from: string; to: string } {
  const to = q.to ?? new Date(now).toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - HISTORY_DAYS * DAY_MS).toISOString().slice(0, 10);
  if (from > to) throw new HttpError(400, 'invalid_request', `from (${from}) is after to (${to})`);
  return { from, to };
}

/** A snapshot as the history lists it: the day's score and rates (the full report is GET …/account-health's). */
function historyRow(s: HealthSnapshot) {
  return { day: s.day, asOf: s.asOf, score: s.scoreValue, milestone: s.milestone, rates: s.rates };
}

/** The chart of one series over the snapshots, with the thresholds of the latest snapshot's report as rules. */
export function chartOf(shopId: string, metric: (typeof SERIES)[number], snapshots: HealthSnapshot[]) {
  const latest = snapshots.at(-1)?.report;
  if (metric === 'score') {
    const regime = latest?.regime ?? 'us_ahr';
    const milestones = latest ? [latest.score.milestone, latest.score.nextMilestone] : [];
    const chart: AccountHealthChart = {
      title: `${shopId}: ${regime === 'us_ahr' ? 'Account Health Rating' : 'violation points'}`,
      yTitle: regime === 'us_ahr' ? 'rating' : 'points',
      points: snapshots.map((s) => ({ day: s.day, value: s.scoreValue })),
      rules: milestones.flatMap((m) =>
        m ? [{ value: m.threshold, label: `milestone ${m.threshold}${m.uncertain ? ' (unverified)' : ''}` }] : [],
      ),
      percent: false,
    };
    return chart;
  }
  const key: MetricKey = metric;
  const m = latest?.metrics.find((x) => x.key === key);
  return {
    title: `${shopId}: ${m?.name ?? key}`,
    yTitle: '% of orders',
    points: snapshots.map((s) => ({ day: s.day, value: s.rates[key] ?? null })),
    rules: (m?.thresholds ?? []).map((t) => ({
      value: t.value,
      label: `${t.level} ${t.direction} ${+(t.value * 100).toFixed(2)}%${t.uncertain ? ' (unverified)' : ''}`,
    })),
    percent: true,
  } satisfies AccountHealthChart;
}

/**
 * Account health (issue 17): the shop's current report (computed from PostgreSQL by accountHealth/, the read model the
 * shop's account-health workflow refreshes from), its daily snapshots and their trend chart (SVG), and the Seller
 * Center notices a person enters (the workflow's recordViolation update).
 */
export function accountHealthRoutes(deps: ApiDeps): Router {
  const router = Router();
  const health = createAccountHealthRepository(deps.db);
  const shops = createShopRepository(deps.db);
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const operator = requireRole(deps.apiKeys, 'operator');
  const ctx = { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };

  /** The shop of the path, covered by the caller's key and registered. */
  const registeredShop = async (req: Request): Promise<string> => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    if ((await shops.region(shopId)) === undefined)
      throw new HttpError(404, 'not_found', `shop ${shopId} is not registered`);
    return shopId;
  };

  router.get('/v1/shops/:shopId/account-health', viewer, async (req, res) => {
    const shopId = await registeredShop(req);
    let workflow: AccountHealthView | null = null;
    try {
      workflow = await deps.temporal.workflow.getHandle(accountHealthWorkflowId(shopId)).query(getAccountHealthQuery);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    res.json({
      shopId,
      report: await computeAccountHealth({ db: deps.db }, shopId, new Date()),
      workflow,
      schedule: (await describeAccountHealthSchedule(deps.temporal, shopId)) ?? null,
      chart: `/v1/shops/${shopId}/account-health/chart.svg`,
    });
  });

  router.get('/v1/shops/:shopId/account-health/history', viewer, async (req, res) => {
    const shopId = await registeredShop(req);
    const { from, to } = range(parseOr400(RangeQuery, req.query, 'query'));
    const snapshots = await health.history(shopId, from, to);
    res.json({ shopId, from, to, snapshots: snapshots.map(historyRow) });
  });

  router.get('/v1/shops/:shopId/account-health/chart.svg', viewer, async (req, res) => {
    const shopId = await registeredShop(req);
    const q = parseOr400(ChartQuery, req.query, 'query');
    const { from, to } = range(q);
    const svg = await renderVegaSvg(
      accountHealthChartSpec(chartOf(shopId, q.metric, await health.history(shopId, from, to))),
    );
    res.type('image/svg+xml').send(svg);
  });

  router.post('/v1/shops/:shopId/account-health/violations', operator, async (req, res) => {
    const shopId = await registeredShop(req);
    const body = parseOr400(ViolationBody, req.body, 'body');
    const workflowId = accountHealthWorkflowId(shopId);
    try {
      const result = await recordAccountHealthViolation(ctx, shopId, { ...body, decidedBy: decidedByCaller(req) });
      res.status(200).json({ shopId, ...result });
    } catch (err) {
      // The human-step answers: InvalidDecision 422, another refusal 409.
      throw decisionFailure(err, { id: `violation:${body.noticeId}`, workflowId }) ?? err;
    }
  });

  return router;
}
