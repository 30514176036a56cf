import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { createHumanStepRepository } from '../../db/humanSteps';
import { createShopRepository } from '../../db/shops';
import {
  createSuspensionAppealRepository,
  type AppealVersionRow,
  type SuspensionAppealRow,
} from '../../db/suspensionAppeals';
import { suspensionAppealWorkflowId } from '../../workflows/ids';
import { assessEligibility } from '../../appeal/eligibility';
import { diffPlans } from '../../appeal/planOfAction';
import {
  getSuspensionAppealQuery,
  type PlanOfAction,
  type SuspensionAppealInput,
} from '../../workflows/suspensionAppeal/messages';
import { suspensionAppeal } from '../../workflows/suspensionAppeal/workflow';
import { requireRole, requireShop, shopFilter } from '../auth';
import { caseIdSchema, isoTimeSchema, ListQuery, openedByCaller, ShopParams, startCaseWorkflow } from '../disputeCases';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

/** The notice as TikTok sent it (Seller Center > Account Health > Violation records), entered by a person. */
export const SuspensionNoticeBody = z.strictObject({
  noticeId: caseIdSchema,
  reason: z.string().trim().min(1).max(1000),
  noticeDate: isoTimeSchema,
  /** Default: the shop's region. */
  region: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  violatedPolicy: z.string().trim().min(1).max(200),
  /** The metrics TikTok quoted, e.g. { "lateDispatchRate": 0.12 }. */
  quotedMetrics: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.number().finite()).optional(),
  /** The appeal deadline the ticket shows, when it shows one. */
  appealBy: isoTimeSchema.optional(),
});

const AppealParams = z.object({ shopId: caseIdSchema, noticeId: caseIdSchema });
const versionNumber = z.coerce.number().int().min(1).max(10_000);
const VersionParams = AppealParams.extend({ version: versionNumber });
/** Default: the latest version against the one before it. */
const DiffQuery = z.object({ from: versionNumber.optional(), to: versionNumber.optional() });

const recorded = (r: SuspensionAppealRow) => ({
  shopId: r.shop_id,
  noticeId: r.notice_id,
  workflowId: r.workflow_id,
  notice: r.notice,
  stage: r.stage,
  round: r.round,
  refusal: r.refusal,
  windowClosesAt: r.window_closes_at?.toISOString() ?? null,
  windowSource: r.window_source,
  approvedVersion: r.approved_version,
  submittedAt: r.submitted_at?.toISOString() ?? null,
  submittedBy: r.submitted_by,
  submissionReference: r.submission_reference,
  decision: r.decision,
  decisionReason: r.decision_reason,
  decidedBy: r.decided_by,
  rounds: r.rounds,
  openedBy: r.opened_by,
  openedAt: r.opened_at.toISOString(),
  closedAt: r.closed_at?.toISOString() ?? null,
});

const versionOut = (v: AppealVersionRow) => ({
  version: v.version,
  round: v.round,
  kind: v.kind,
  createdBy: v.created_by,
  createdAt: v.created_at.toISOString(),
  note: v.note,
  changesSinceFirst: v.changes_since_first,
  file: v.file_id ? { fileId: v.file_id, sha256: v.sha256, pageCount: v.page_count } : null,
  evidenceFileId: v.evidence_file_id,
  plan: v.plan,
});

/**
 * Suspension appeals (workflows/suspensionAppeal): start one with the notice, list a shop's, show one (the
 * workflow's view and its human steps; the recorded row once Temporal no longer keeps it), its Plan of Action
 * versions, the difference between two versions (appeal/planOfAction.ts diffPlans) and a version's PDF. Decisions are human steps
 * (POST /v1/human-steps/:id/decision; `npm run cli -- appeal approve|edit|submitted|decided`).
 */
export function suspensionAppealRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const appeals = createSuspensionAppealRepository(deps.db);
  const steps = createHumanStepRepository(deps.db);
  const shops = createShopRepository(deps.db);
  const base = '/v1/shops/:shopId/suspension-appeals';

  /** The appeal as the workflow sees it, with its steps; the recorded row when Temporal no longer has it. */
  async function show(shopId: string, noticeId: string) {
    const workflowId = suspensionAppealWorkflowId(shopId, noticeId);
    // Read after the view, so a stage the view shows has its step listed.
    const humanSteps = () => steps.list({ shopIds: [shopId], workflowId, limit: 50 });
    try {
      const view = await deps.temporal.workflow.getHandle(workflowId).query(getSuspensionAppealQuery);
      return { workflowId, ...view, humanSteps: await humanSteps() };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const row = await appeals.getAppeal(shopId, noticeId);
      return row ? { ...recorded(row), recorded: true, humanSteps: await humanSteps() } : undefined;
    }
  }

  async function versionsOf(shopId: string, noticeId: string): Promise<AppealVersionRow[]> {
    const rows = await appeals.listVersions(shopId, noticeId);
    if (rows.length === 0 && !(await appeals.getAppeal(shopId, noticeId)))
      throw new HttpError(404, 'not_found', `no suspension appeal ${noticeId} for shop ${shopId}`);
    return rows;
  }

  router.post(base, operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const body = parseOr400(SuspensionNoticeBody, req.body, 'body');
    if (Date.parse(body.noticeDate) > Date.now() + 5 * 60_000)
      throw new HttpError(422, 'invalid_notice_date', `noticeDate ${body.noticeDate} is in the future`);
    const existing = await show(shopId, body.noticeId);
    if (existing) {
      res.status(200).json({ created: false, appeal: existing });
      return;
    }
    const region = body.region ?? (await shops.region(shopId)) ?? 'US';
    const input: SuspensionAppealInput = {
      shopId,
      notice: { ...body, region },
      openedBy: openedByCaller(req),
    };
    // An appeal we would draft whose window has closed already is refused here, as a dispute appeal's is; one we
    // refuse anyway (counterfeit, …) starts, so the refusal and where to go are recorded.
    const eligibility = assessEligibility(input.notice);
    if (eligibility.eligible && Date.parse(eligibility.window.appealBy) <= Date.now())
      throw new HttpError(
        422,
        'appeal_window_closed',
        `the appeal window of notice ${body.noticeId} closed at ${eligibility.window.appealBy} (${eligibility.window.source})`,
      );
    const workflowId = suspensionAppealWorkflowId(shopId, body.noticeId);
    await startCaseWorkflow(deps, suspensionAppeal, {
      workflowId,
      input,
      shopId,
      caseKind: 'suspension_appeal',
      caseId: body.noticeId,
    });
    const location = `/v1/shops/${encodeURIComponent(shopId)}/suspension-appeals/${encodeURIComponent(body.noticeId)}`;
    res
      .status(201)
      .location(location)
      .json({ created: true, appeal: { workflowId, shopId, notice: input.notice } });
  });

  router.get(base, viewer, async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const open = { all: undefined, true: true, false: false }[q.open];
    const rows = await appeals.listAppeals({ shopIds: shopFilter(req), shopId, open, limit: q.limit });
    res.json({ suspensionAppeals: rows.map(recorded) });
  });

  router.get(`${base}/:noticeId`, viewer, async (req, res) => {
    const { shopId, noticeId } = parseOr400(AppealParams, req.params, 'params');
    requireShop(req, shopId);
    const found = await show(shopId, noticeId);
    if (!found) throw new HttpError(404, 'not_found', `no suspension appeal ${noticeId} for shop ${shopId}`);
    res.json(found);
  });

  router.get(`${base}/:noticeId/versions`, viewer, async (req, res) => {
    const { shopId, noticeId } = parseOr400(AppealParams, req.params, 'params');
    requireShop(req, shopId);
    res.json({ shopId, noticeId, versions: (await versionsOf(shopId, noticeId)).map(versionOut) });
  });

  router.get(`${base}/:noticeId/diff`, viewer, async (req, res) => {
    const { shopId, noticeId } = parseOr400(AppealParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(DiffQuery, req.query, 'query');
    const versions = await versionsOf(shopId, noticeId);
    const to = q.to ?? versions.at(-1)?.version ?? 1;
    const from = q.from ?? Math.max(1, to - 1);
    const [a, b] = [from, to].map((n) => versions.find((v) => v.version === n));
    if (!a || !b) throw new HttpError(404, 'not_found', `appeal ${noticeId} has no version ${!a ? from : to}`);
    res.json({
      shopId,
      noticeId,
      from: { version: a.version, kind: a.kind, createdBy: a.created_by },
      to: { version: b.version, kind: b.kind, createdBy: b.created_by },
      changes: diffPlans(a.plan as PlanOfAction, b.plan as PlanOfAction),
    });
  });

  router.get(`${base}/:noticeId/versions/:version/pdf`, viewer, async (req, res) => {
    const { shopId, noticeId, version } = parseOr400(VersionParams, req.params, 'params');
    requireShop(req, shopId);
    const row = (await versionsOf(shopId, noticeId)).find((v) => v.version === version);
    if (!row?.file_id) throw new HttpError(404, 'not_found', `appeal ${noticeId} has no version ${version}`);
    const file = await deps.files.get(shopId, row.file_id);
    // The file store deletes files after their retention (FILE_RETENTION_DAYS); the version row outlives them.
    if (!file) throw new HttpError(410, 'gone', `the PDF of version ${version} is no longer stored`);
    res
      .status(200)
      .type('application/pdf')
      .set({
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': `attachment; filename="plan-of-action-${noticeId}-v${version}.pdf"`,
        'Cache-Control': 'private, max-age=0',
        ETag: `"${row.file_id}"`,
      })
      .send(file.bytes);
  });

  return router;
}
