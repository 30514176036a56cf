import { WorkflowNotFoundError } from '@temporalio/client';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { summaryOf } from '../../activities/taxReport/compute';
import { createShopRepository } from '../../db/shops';
import { createTaxReportRepository, type TaxReportRecord } from '../../db/taxReports';
import type { TaxReportStatus } from '../../tax/reportModel';
import { readTaxSettings } from '../../shopSettings/tax';
import {
  backfillTaxReports,
  describeTaxReportSchedule,
  ensureTaxReportSchedule,
  MAX_BACKFILL_MONTHS,
  setTaxReportSchedulePaused,
  startTaxReport,
  triggerTaxReportSchedule,
} from '../../temporal/taxReport';
import { taxReportWorkflowId } from '../../workflows/ids';
import {
  getTaxReportQuery,
  TAX_REPORT_CASE,
  type TaxReportStage,
  type TaxReportView,
} from '../../workflows/monthlyTaxReport/messages';
import { addMonths, taxPeriodEnded } from '../../workflows/monthlyTaxReport/period';
import { CaseId, CaseKind, CaseStage, ShopId } from '../../workflows/shared/searchAttributes';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month: YYYY-MM, e.g. 2026-11');
const ShopParams = z.object({ shopId: id });
const ReportParams = z.object({ shopId: id, period: month });
const FileParams = z.object({ shopId: id, period: month, format: z.enum(['csv', 'pdf']) });
const StartBody = z.strictObject({ period: month });
const NoteBody = z.strictObject({ note: z.string().max(300).optional() }).optional();
const BackfillBody = z.strictObject({ from: month, to: month });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(36) });

/** The stage a stored report's status stands for, once its workflow is gone. */
const STAGE_OF_STATUS: Record<TaxReportStatus, TaxReportStage> = {
  building: 'computing',
  draft: 'awaiting_approval',
  approved: 'approved',
  committed: 'committed',
  rejected: 'rejected',
  expired: 'expired',
  abandoned: 'expired',
};

/**
 * A finished report as its stored row (db/taxReports.ts) tells it: what a workflow past the namespace's retention can
 * no longer answer. The activity calls it took are not stored (steps 0), nor the commit's counts (the ledger,
 * tax_engine_commits, has them).
 */
function storedReportView(r: TaxReportRecord): TaxReportView {
  const decision = r.status === 'approved' || r.status === 'rejected' ? r.status : undefined;
  return {
    shopId: r.shopId,
    period: r.period,
    timeZone: r.timeZone,
    stage: STAGE_OF_STATUS[r.status],
    progress: { lines: r.linesSeen, steps: 0 },
    summary: summaryOf(r),
    ...(decision && r.statusBy && r.statusAt
      ? { decision: { decision, decidedBy: r.statusBy, decidedAt: r.statusAt } }
      : {}),
  };
}

/**
 * Monthly sales-tax reports (the monthlyTaxReport workflow, issue 20): the shop's reports (Temporal visibility), one
 * report as the workflow sees it, its CSV and PDF, a start by hand for any ended month, and the shop's Schedule
 * (described, paused, resumed, fired now, back-filled for past months). The approval goes through the human-step
 * routes (POST /v1/human-steps/:id/decision).
 */
export function monthlyTaxReportRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const temporalDeps = { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
  const reports = createTaxReportRepository(deps.db);

  /** A month that has ended in the shop's tax time zone (only its sales are final). */
  async function endedMonth(shopId: string, period: string): Promise<string> {
    const { timeZone } = await readTaxSettings(deps, shopId);
    if (!taxPeriodEnded(period, new Date(), timeZone))
      throw new HttpError(400, 'period_not_ended', `${period} has not ended in ${timeZone}: its sales are not final`);
    return timeZone;
  }

  /** The workflow's view; a workflow past retention: the month's latest finished build as stored. */
  async function reportView(
    shopId: string,
    period: string,
  ): Promise<TaxReportView & { source: 'workflow' | 'stored' }> {
    try {
      const view = await deps.temporal.workflow.getHandle(taxReportWorkflowId(shopId, period)).query(getTaxReportQuery);
      return { ...view, source: 'workflow' };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const stored = await reports.latestFinished(shopId, period);
      if (!stored) throw new HttpError(404, 'not_found', `no tax report of ${period}`);
      return { ...storedReportView(stored), source: 'stored' };
    }
  }

  router.get('/v1/shops/:shopId/tax/reports', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    // The shop id is validated above: it cannot break out of the quotes. Firings carry no CaseKind: not listed.
    const query = `WorkflowType = 'monthlyTaxReport' AND ${ShopId.name} = '${shopId}' AND ${CaseKind.name} = '${TAX_REPORT_CASE}'`;
    const reports = [];
    for await (const wf of deps.temporal.workflow.list({ query })) {
      const sa = wf.typedSearchAttributes;
      reports.push({
        period: sa.get(CaseId) ?? null,
        stage: sa.get(CaseStage) ?? null,
        status: wf.status.name,
        workflowId: wf.workflowId,
        startTime: wf.startTime.toISOString(),
        closeTime: wf.closeTime?.toISOString() ?? null,
      });
      if (reports.length >= q.limit) break;
    }
    reports.sort((a, b) => String(b.period).localeCompare(String(a.period)));
    res.json({ reports });
  });

  router.post('/v1/shops/:shopId/tax/reports', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const { period } = parseOr400(StartBody, req.body, 'body');
    await endedMonth(shopId, period);
    res.status(202).json({ shopId, period, ...(await startTaxReport(temporalDeps, shopId, period)) });
  });

  router.get('/v1/shops/:shopId/tax/reports/:period', viewer, async (req, res) => {
    const { shopId, period } = parseOr400(ReportParams, req.params, 'params');
    requireShop(req, shopId);
    const view = await reportView(shopId, period);
    const base = `/v1/shops/${shopId}/tax/reports/${period}`;
    res.json({ ...view, downloads: view.summary ? { csv: `${base}/csv`, pdf: `${base}/pdf` } : null });
  });

  router.get('/v1/shops/:shopId/tax/reports/:period/:format', viewer, async (req, res) => {
    const { shopId, period, format } = parseOr400(FileParams, req.params, 'params');
    requireShop(req, shopId);
    const { summary } = await reportView(shopId, period);
    if (!summary) throw new HttpError(409, 'not_ready', `the report of ${period} is still being computed`);
    const fileId = format === 'csv' ? summary.csvFileId : summary.pdfFileId;
    const file = await deps.files.get(shopId, fileId);
    // The file store deletes files after their retention (FILE_RETENTION_DAYS): rebuild the month to get it back.
    if (!file) throw new HttpError(410, 'gone', `the ${format.toUpperCase()} of ${period} is no longer stored`);
    sendFile(res, file.bytes, format, `tax-report-${shopId}-${period}.${format}`, fileId);
  });

  router.get('/v1/shops/:shopId/tax/schedule', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const schedule = await describeTaxReportSchedule(deps, shopId);
    if (!schedule) throw noSchedule(shopId);
    res.json(schedule);
  });

  // Creates the Schedule (or brings it to the shop's settings) for a registered shop: a shop authorized before this
  // process existed has none, and authorizing it again should not be the only way to get one.
  router.put('/v1/shops/:shopId/tax/schedule', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    parseOr400(NoteBody, req.body, 'body');
    if ((await createShopRepository(deps.db).region(shopId)) === undefined)
      throw new HttpError(404, 'not_found', `shop ${shopId} is not registered`);
    const outcome = await ensureTaxReportSchedule(temporalDeps, shopId, await readTaxSettings(deps, shopId));
    res.json({ outcome, ...(await describeTaxReportSchedule(deps, shopId)) });
  });

  for (const action of ['pause', 'unpause'] as const) {
    router.post(`/v1/shops/:shopId/tax/schedule/${action}`, operator, async (req, res) => {
      const { shopId } = parseOr400(ShopParams, req.params, 'params');
      requireShop(req, shopId);
      const note = parseOr400(NoteBody, req.body, 'body')?.note ?? `${action}d through the API`;
      if (!(await setTaxReportSchedulePaused(deps, shopId, action === 'pause', note))) throw noSchedule(shopId);
      res.json(await describeTaxReportSchedule(deps, shopId));
    });
  }

  router.post('/v1/shops/:shopId/tax/schedule/trigger', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    if (!(await triggerTaxReportSchedule(deps, shopId))) throw noSchedule(shopId);
    res.status(202).json({ shopId, triggered: true });
  });

  router.post('/v1/shops/:shopId/tax/schedule/backfill', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const { from, to } = parseOr400(BackfillBody, req.body, 'body');
    if (from > to) throw new HttpError(400, 'invalid_request', `from (${from}) is after to (${to})`);
    if (addMonths(from, MAX_BACKFILL_MONTHS) <= to)
      throw new HttpError(400, 'invalid_request', `at most ${MAX_BACKFILL_MONTHS} months per backfill`);
    await endedMonth(shopId, to);
    const time = await readTaxSettings(deps, shopId);
    const result = await backfillTaxReports(deps, shopId, { from, to }, time);
    if (!result.backfilled) throw noSchedule(shopId);
    res.status(202).json({ shopId, from, to, firings: result.firings });
  });

  return router;
}

const noSchedule = (shopId: string) =>
  new HttpError(
    404,
    'not_found',
    `shop ${shopId} has no tax report Schedule (it is created when the shop is authorized)`,
  );

function sendFile(res: Response, bytes: Buffer, format: 'csv' | 'pdf', name: string, fileId: string): void {
  res
    .status(200)
    .type(format === 'csv' ? 'text/csv' : 'application/pdf')
    .set({
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'private, max-age=0',
      ETag: `"${fileId}"`,
    })
    .send(bytes);
}
