// What the chargeback and dispute-appeal routes share (api/routes/chargeback.ts, api/routes/disputeAppeal.ts): open a
// case idempotently on its business key, list a shop's cases from dispute_cases, show one (the workflow's query, its
// human steps; the recorded row once Temporal no longer keeps it).
import { WorkflowNotFoundError, type Workflow } from '@temporalio/client';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { createDisputeCaseRepository, type DisputeCaseKind, type DisputeCaseRow } from '../db/disputeCases';
import { createHumanStepRepository } from '../db/humanSteps';
import { getDisputeCaseQuery } from '../workflows/shared/disputeMessages';
import { CaseId, CaseKind, ShopId } from '../workflows/shared/searchAttributes';
import { decidedByCaller, requireRole, requireShop, shopFilter } from './auth';
import type { ApiDeps } from './deps';
import { HttpError, parseOr400 } from './errors';

export const caseIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
export const amountSchema = z
  .string()
  .regex(/^\d{1,14}(\.\d{1,2})?$/, "a decimal amount with at most two decimals, e.g. '42.50'");
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 currency code, e.g. 'USD'");
export const isoTimeSchema = z.iso.datetime({ offset: true });

export const ShopParams = z.object({ shopId: caseIdSchema });
const CaseParams = z.object({ shopId: caseIdSchema, caseId: caseIdSchema });
/** `?open=true|false|all&limit=`: the list routes of recorded cases. */
export const ListQuery = z.object({
  open: z.enum(['true', 'false', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** One kind of dispute case as its routes serve it. */
export interface DisputeCaseRoutes<B, I> {
  caseKind: DisputeCaseKind;
  /** The URL segment: /v1/shops/:shopId/<plural>. */
  plural: string;
  body: z.ZodType<B>;
  workflow: Workflow;
  workflowId(shopId: string, caseId: string): string;
  caseIdOf(body: B): string;
  /** The workflow's input; refuses (HttpError) a case that cannot be opened any more. */
  input(req: Request, shopId: string, body: B): Promise<{ input: I; deadline: string }>;
}

const recorded = (r: DisputeCaseRow) => ({
  shopId: r.shop_id,
  caseKind: r.case_kind,
  caseId: r.case_id,
  orderId: r.order_id,
  returnId: r.return_id,
  workflowId: r.workflow_id,
  reason: r.reason,
  amount: r.amount === null ? null : { amount: r.amount, currency: r.currency },
  openedFrom: r.opened_from.toISOString(),
  deadline: r.deadline.toISOString(),
  stage: r.stage,
  details: r.details,
  bundleId: r.bundle_id,
  submittedAt: r.submitted_at?.toISOString() ?? null,
  submittedBy: r.submitted_by,
  submissionReference: r.submission_reference,
  outcome: r.outcome,
  amountRecovered: r.amount_recovered,
  outcomeBy: r.outcome_by,
  openedBy: r.opened_by,
  openedAt: r.opened_at.toISOString(),
  closedAt: r.closed_at?.toISOString() ?? null,
});

/**
 * POST /v1/shops/:shopId/<plural> (operator): opens the case, idempotent on its id — a second POST of the same notice
 * answers the case already there (200) instead of a second one (201). GET …/<plural> (viewer): the shop's cases by
 * deadline. GET …/<plural>/:caseId (viewer): the case with its bundle refs and human steps.
 */
export function disputeCaseRoutes<B, I>(deps: ApiDeps, spec: DisputeCaseRoutes<B, I>): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const cases = createDisputeCaseRepository(deps.db);
  const steps = createHumanStepRepository(deps.db);
  const base = `/v1/shops/:shopId/${spec.plural}`;

  /** The case as the workflow sees it, with its steps; the recorded row when Temporal no longer has it. */
  async function show(shopId: string, caseId: string) {
    const workflowId = spec.workflowId(shopId, caseId);
    // The steps are read after the view, so a stage the view shows has its step listed.
    const humanSteps = () => steps.list({ shopIds: [shopId], workflowId, limit: 20 });
    try {
      const view = await deps.temporal.workflow.getHandle(workflowId).query(getDisputeCaseQuery);
      return { workflowId, ...view, humanSteps: await humanSteps() };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const row = await cases.getCase(shopId, spec.caseKind, caseId);
      if (!row) return undefined;
      return { ...recorded(row), recorded: true, humanSteps: await humanSteps() };
    }
  }

  router.post(base, operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const body = parseOr400(spec.body, req.body, 'body');
    const caseId = spec.caseIdOf(body);
    const workflowId = spec.workflowId(shopId, caseId);
    const existing = await show(shopId, caseId);
    if (existing) {
      res.status(200).json({ created: false, case: existing });
      return;
    }
    const { input, deadline } = await spec.input(req, shopId, body);
    await startCaseWorkflow(deps, spec.workflow, { workflowId, input, shopId, caseKind: spec.caseKind, caseId });
    res
      .status(201)
      .location(`/v1/shops/${encodeURIComponent(shopId)}/${spec.plural}/${encodeURIComponent(caseId)}`)
      .json({ created: true, case: { workflowId, shopId, caseKind: spec.caseKind, caseId, deadline } });
  });

  router.get(base, viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    const rows = await cases.listCases({
      shopIds: shopFilter(req),
      shopId,
      caseKind: spec.caseKind,
      open: q.open === 'all' ? undefined : q.open === 'true',
      limit: q.limit,
    });
    res.json({ [spec.plural.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())]: rows.map(recorded) });
  });

  router.get(`${base}/:caseId`, viewer, async (req, res) => {
    const { shopId, caseId } = parseOr400(CaseParams, req.params, 'params');
    requireShop(req, shopId);
    const found = await show(shopId, caseId);
    if (!found) throw new HttpError(404, 'not_found', `no ${spec.caseKind} ${caseId} for shop ${shopId}`);
    res.json(found);
  });

  return router;
}

/**
 * Starts a case's workflow on its business key with the case attributes it is listed by from the start; two POSTs of
 * the same notice at once: the second joins the first.
 */
export async function startCaseWorkflow<I>(
  deps: Pick<ApiDeps, 'temporal' | 'config'>,
  workflow: Workflow,
  c: { workflowId: string; input: I; shopId: string; caseKind: string; caseId: string },
): Promise<void> {
  await deps.temporal.workflow.start(workflow, {
    workflowId: c.workflowId,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    args: [c.input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: ShopId, value: c.shopId },
      { key: CaseKind, value: c.caseKind },
      { key: CaseId, value: c.caseId },
    ],
  });
}

/** Who opens the case: the caller's key, as a decision's `decidedBy`. */
export const openedByCaller = decidedByCaller;
