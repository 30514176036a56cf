import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { HumanStepBook } from '../shared/humanSteps';
import type { orderActivities } from './proxies';
import { CANCELLATION_DECISION_SCHEMA, cancellationStepKey, ORDER_CANCELLATION_CASE, type OrderView } from './messages';

/** The warehouse's answer (the cancellationDecision update): stopped the parcel or not, who answered, when. */
export interface WarehouseAnswer {
  stopped: boolean;
  decidedBy?: string;
  /** ISO, workflow time of the update. */
  at: string;
}

export interface CancellationContext {
  shopId: string;
  orderId: string;
  view: OrderView;
  /** The warehouse's answer, if it gave one. */
  warehouseAnswer: WarehouseAnswer | undefined;
  shippedAt: string | undefined;
  /** How long before the request's own deadline a decision is taken without the warehouse. */
  decisionMarginMs: number;
  /** Reads the order back (after an approval). */
  refresh: () => Promise<void>;
  acts: typeof orderActivities;
  /** The order's human steps: the question to the warehouse is one (`cancellation:<cancelId>`). */
  steps: HumanStepBook;
}

/** When the pending request is decided by rule if the warehouse has not answered; undefined when none is pending. */
export function cancellationDecideBy(view: OrderView, decisionMarginMs: number): number | undefined {
  const c = view.cancellation;
  if (!c || c.outcome || !c.deadline) return undefined;
  return Date.parse(c.deadline) - decisionMarginMs;
}

/**
 * Not yet with the warehouse: approve. With the warehouse: ask it (a human step, update `cancellationDecision`) and
 * approve when it stopped the parcel, reject when it did not; with no answer shortly before the request's deadline,
 * decide by rule (shipped → reject) and close the step as decided by rule.
 */
export async function answerCancellation(ctx: CancellationContext): Promise<void> {
  const { shopId, orderId, view, warehouseAnswer, shippedAt, acts, steps } = ctx;
  const c = view.cancellation!;
  const stepKey = cancellationStepKey(c.cancelId);
  const decideBy = cancellationDecideBy(view, ctx.decisionMarginMs);
  if (!view.acknowledged) return decide(ctx, 'approve');
  if (warehouseAnswer !== undefined) {
    await decide(ctx, warehouseAnswer.stopped ? 'approve' : 'reject');
    const { decidedBy, at, stopped } = warehouseAnswer;
    return steps.close(stepKey, 'decided', { decidedBy, decidedAt: at, decision: { stopped, outcome: c.outcome } });
  }
  if (decideBy !== undefined && Date.now() >= decideBy) {
    await decide(ctx, shippedAt ? 'reject' : 'approve');
    return steps.close(stepKey, 'auto', {
      decision: { rule: shippedAt ? 'shipped' : 'not shipped', outcome: c.outcome },
    });
  }
  if (c.waitingForWarehouse) return;
  c.waitingForWarehouse = true;
  const dueAt = decideBy === undefined ? undefined : new Date(decideBy).toISOString();
  const title = `Buyer asks to cancel order ${orderId}`;
  const stepId = await steps.open({
    caseKind: ORDER_CANCELLATION_CASE,
    stepKey,
    updateName: 'cancellationDecision',
    title,
    inputSchema: CANCELLATION_DECISION_SCHEMA,
    context: {
      orderId,
      cancelId: c.cancelId,
      requestDeadline: c.deadline ?? null,
      decisions: [
        { input: { stopped: true }, means: 'the warehouse stopped the parcel: the cancellation is approved' },
        { input: { stopped: false }, means: 'the parcel has left: the cancellation is rejected' },
      ],
      withoutAnswer: `decided by rule at the due time: ${shippedAt ? 'reject (marked shipped)' : 'approve (not shipped)'}`,
    },
    // Due when the workflow decides by rule; a request without a deadline waits for the warehouse.
    dueAt: dueAt ?? null,
    severity: 'warning',
  });
  await acts.notifyOperators({
    shopId,
    orderId,
    kind: stepKey,
    severity: 'warning',
    title,
    body: `The warehouse has the order. Answer human step ${stepId}: npm run cli -- steps decide ${stepId} --input '{"stopped": true|false}' (or POST /v1/orders/…/cancellation-decision).`,
  });
}

async function decide(ctx: CancellationContext, action: 'approve' | 'reject'): Promise<void> {
  const { shopId, acts } = ctx;
  const c = ctx.view.cancellation!;
  const deadline = c.deadline;
  if (action === 'approve') {
    try {
      await acts.approveCancellation({ shopId, cancelId: c.cancelId, deadline });
      c.outcome = 'approved';
      await ctx.refresh();
      return;
    } catch (err) {
      // Already shipped (25001045): TikTok refuses the approval, so the request is rejected instead.
      const conflict =
        err instanceof ActivityFailure &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === 'TikTokStateConflict';
      if (!conflict) throw err;
    }
  }
  c.reason = await acts.rejectCancellation({ shopId, cancelId: c.cancelId, deadline });
  c.outcome = 'rejected';
}
