import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { createHumanStepRepository, type HumanStep } from '../../db/humanSteps';
import { DEADLINE_PASSED, INVALID_DECISION } from '../../workflows/shared/failureTypes';
import { coversShop, decidedByCaller, requireRole, shopFilter } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ListQuery = z.object({
  shopId: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/)
    .optional(),
  caseKind: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/)
    .optional(),
  open: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const StepParams = z.object({ id: z.string().regex(/^[0-9]{1,18}$/, 'step ids are numbers') });
// The decision's fields are the workflow's to check (its update validator, against the step's input_schema); here
// only that it is an object, without a decidedBy of its own (the API sets who decided from the caller's key).
const DecisionBody = z
  .record(z.string(), z.unknown())
  .refine((body) => !('decidedBy' in body), 'decidedBy is set from your API key, not by the body');

/** The step, when it exists and the caller's key covers its shop (else 404, the same answer either way). */
async function stepFor(req: Request, steps: ReturnType<typeof createHumanStepRepository>): Promise<HumanStep> {
  const { id } = parseOr400(StepParams, req.params, 'params');
  const step = await steps.get(id);
  if (!step || !coversShop(req, step.shopId)) throw new HttpError(404, 'not_found', `no human step ${id}`);
  return step;
}

/**
 * What the API answers when the step's update fails: the workflow's validator decides (InvalidDecision → 422,
 * DeadlinePassed → 409, another refusal, the case having moved on → 409); a workflow that is gone → 409. Anything else
 * is not the decision's fault (undefined: the error handler's 5xx).
 */
export function decisionFailure(err: unknown, step: Pick<HumanStep, 'id' | 'workflowId'>): HttpError | undefined {
  if (err instanceof WorkflowNotFoundError)
    return new HttpError(409, 'case_closed', `the workflow ${step.workflowId} of step ${step.id} is no longer running`);
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause as (Error & { cause?: Error }) | undefined;
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  // A failure inside the update (an activity) carries the reason one level further down.
  const message = (cause?.cause?.message || cause?.message || err.message).trim();
  if (type === INVALID_DECISION) return new HttpError(422, 'invalid_decision', message);
  if (type === DEADLINE_PASSED) return new HttpError(409, 'deadline_passed', message);
  return new HttpError(409, 'update_refused', message);
}

/** Runs the step's update with the body plus `decidedBy`; its answer is the update's result. */
async function decide(temporal: Client, step: HumanStep, input: Record<string, unknown>): Promise<unknown> {
  try {
    return await temporal.workflow.getHandle(step.workflowId).executeUpdate(step.updateName, { args: [input] });
  } catch (err) {
    throw decisionFailure(err, step) ?? err;
  }
}

/**
 * Human steps (docs/case-contract.md): what processes wait for a person to decide, listed by due time, and the one
 * route that sends a decision to the waiting workflow as its Temporal update.
 */
export function humanStepsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const steps = createHumanStepRepository(deps.db);
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const operator = requireRole(deps.apiKeys, 'operator');

  router.get('/v1/human-steps', viewer, async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    const list = await steps.list({
      shopIds: shopFilter(req),
      shopId: q.shopId,
      caseKind: q.caseKind,
      open: q.open === undefined ? undefined : q.open === 'true',
      limit: q.limit,
    });
    res.json({ steps: list });
  });

  router.get('/v1/human-steps/:id', viewer, async (req, res) => {
    res.json(await stepFor(req, steps));
  });

  router.post('/v1/human-steps/:id/decision', operator, async (req, res) => {
    const step = await stepFor(req, steps);
    const body = parseOr400(DecisionBody, req.body, 'body');
    if (step.closedAt)
      throw new HttpError(409, 'step_closed', `step ${step.id} is closed (${step.outcome} at ${step.closedAt})`);
    const decidedBy = decidedByCaller(req);
    const result = await decide(deps.temporal, step, { ...body, decidedBy });
    res.json({ stepId: step.id, workflowId: step.workflowId, updateName: step.updateName, decidedBy, result });
  });

  return router;
}
