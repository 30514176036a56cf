import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { createReturnCaseRepository } from '../../db/returnCases';
import { returnWorkflowId } from '../../workflows/ids';
import { decideReturnUpdate, getReturnQuery } from '../../workflows/returnRequest/messages';
import {
  CaseId,
  CaseRisk,
  CaseStage,
  HardDeadline,
  NextDeadline,
  ShopId,
} from '../../workflows/shared/searchAttributes';
import { decidedByCaller, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';
import { decisionFailure } from './humanSteps';

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const ShopParams = z.object({ shopId: id });
const ReturnParams = z.object({ shopId: id, returnId: id });
const ListQuery = z.object({
  open: z.enum(['true', 'false']).default('true'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
/** The decideReturn update's input without `decidedBy`, which is the caller's key (a body naming one is refused). */
export const ReturnDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  rejectReason: z.string().trim().min(1).max(200).optional(),
  comment: z.string().max(500).optional(),
  evidenceFileIds: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, 'file ids are the sha256 hex the file store answered'))
    .max(9)
    .optional(),
  buyerKeepItem: z.boolean().optional(),
});

/**
 * Returns and refunds: the open cases of a shop by deadline (Temporal visibility on the shared case attributes), one
 * case (the workflow's query), and a person's decision (the workflow's decideReturn update).
 */
export function returnRequestRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const cases = createReturnCaseRepository(deps.db);
  const handle = (shopId: string, returnId: string) =>
    deps.temporal.workflow.getHandle(returnWorkflowId(shopId, returnId));

  /**
   * `WorkflowType = 'returnRequest' AND ShopId = '…'` (open: `AND ExecutionStatus = 'Running'`), sorted by
   * NextDeadline here: SQL visibility (the dev server, PostgreSQL) cannot order by a custom attribute.
   */
  router.get('/v1/shops/:shopId/returns', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    // The shop id is validated above (letters, digits, "_", "-"): it cannot break out of the quotes.
    const clauses = [`WorkflowType = 'returnRequest'`, `${ShopId.name} = '${shopId}'`];
    if (q.open === 'true') clauses.push(`ExecutionStatus = 'Running'`);
    const query = clauses.join(' AND ');
    const returns = [];
    for await (const wf of deps.temporal.workflow.list({ query })) {
      const attrs = new Map(wf.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value as unknown]));
      const time = (name: string) => {
        const v = attrs.get(name);
        return v instanceof Date ? v.toISOString() : null;
      };
      returns.push({
        workflowId: wf.workflowId,
        status: wf.status.name,
        returnId: attrs.get(CaseId.name) ?? null,
        stage: attrs.get(CaseStage.name) ?? null,
        risk: attrs.get(CaseRisk.name) ?? null,
        nextDeadline: time(NextDeadline.name),
        hardDeadline: time(HardDeadline.name),
        startTime: wf.startTime.toISOString(),
      });
      if (returns.length >= q.limit) break;
    }
    const due = (r: { nextDeadline: string | null }) => (r.nextDeadline ? Date.parse(r.nextDeadline) : Infinity);
    returns.sort((a, b) => due(a) - due(b));
    res.json({ query, returns });
  });

  router.get('/v1/shops/:shopId/returns/:returnId', viewer, async (req, res) => {
    const { shopId, returnId } = parseOr400(ReturnParams, req.params, 'params');
    requireShop(req, shopId);
    try {
      res.json(await handle(shopId, returnId).query(getReturnQuery));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // A closed case whose history Temporal no longer keeps (namespace retention): what return_cases recorded.
      const row = await cases.getCase(shopId, returnId);
      if (!row) throw new HttpError(404, 'not_found', `no case for return ${returnId}`);
      res.json({
        shopId,
        returnId,
        orderId: row.order_id,
        type: row.return_type,
        status: row.status,
        reason: row.reason,
        refund: row.refund_amount ? { amount: row.refund_amount, currency: row.refund_currency } : undefined,
        arbitrationStatus: row.arbitration_status ?? undefined,
        closedAt: row.closed_at,
        recorded: true,
        decisions: (await cases.listDecisions(shopId, returnId)).map((d) => ({
          action: d.action,
          deadline: d.deadline,
          openedAt: d.opened_at,
          decidedAt: d.decided_at,
          latencyMs: d.latency_ms === null ? null : Number(d.latency_ms),
          channel: d.channel,
          decidedBy: d.decided_by,
          decision: d.decision,
          outcome: d.outcome,
        })),
      });
    }
  });

  router.post('/v1/shops/:shopId/returns/:returnId/decision', operator, async (req, res) => {
    const { shopId, returnId } = parseOr400(ReturnParams, req.params, 'params');
    requireShop(req, shopId);
    const body = parseOr400(ReturnDecisionBody, req.body, 'body');
    const workflowId = returnWorkflowId(shopId, returnId);
    try {
      const result = await handle(shopId, returnId).executeUpdate(decideReturnUpdate, {
        args: [{ ...body, decidedBy: decidedByCaller(req) }],
      });
      res.status(200).json({ shopId, returnId, ...result });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new HttpError(404, 'not_found', `no case for return ${returnId}`);
      // The same answers as the human-step route: InvalidDecision 422, DeadlinePassed or a refusal 409.
      throw decisionFailure(err, { id: `decide:${returnId}`, workflowId }) ?? err;
    }
  });

  return router;
}
