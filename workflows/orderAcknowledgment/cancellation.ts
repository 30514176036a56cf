import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { orderActivities } from './proxies';
import type { OrderView } from './messages';

export interface CancellationContext {
  shopId: string;
  orderId: string;
  view: OrderView;
  /** The warehouse's answer (stopped the parcel or not), if it gave one. */
  warehouseAnswer: boolean | undefined;
  shippedAt: string | undefined;
  /** How long before the request's own deadline a decision is taken without the warehouse. */
  decisionMarginMs: number;
  /** Reads the order back (after an approval). */
  refresh: () => Promise<void>;
  acts: typeof orderActivities;
}

/** When the pending request is decided by rule if the warehouse has not answered; undefined when none is pending. */
export function cancellationDecideBy(view: OrderView, decisionMarginMs: number): number | undefined {
  const c = view.cancellation;
  if (!c || c.outcome || !c.deadline) return undefined;
  return Date.parse(c.deadline) - decisionMarginMs;
}

/**
 * Not yet with the warehouse: approve. With the warehouse: ask it (ops task) and approve when it stopped the parcel,
 * reject when it did not; with no answer shortly before the request's deadline, decide by rule (shipped → reject).
 */
export async function answerCancellation(ctx: CancellationContext): Promise<void> {
  const { shopId, orderId, view, warehouseAnswer, shippedAt, acts } = ctx;
  const c = view.cancellation!;
  const decideBy = cancellationDecideBy(view, ctx.decisionMarginMs);
  if (!view.acknowledged) return decide(ctx, 'approve');
  if (warehouseAnswer !== undefined) return decide(ctx, warehouseAnswer ? 'approve' : 'reject');
  if (decideBy !== undefined && Date.now() >= decideBy) return decide(ctx, shippedAt ? 'reject' : 'approve');
  if (c.waitingForWarehouse) return;
  c.waitingForWarehouse = true;
  await acts.raiseOpsTask({
    shopId,
    orderId,
    kind: `cancellation:${c.cancelId}`,
    severity: 'warning',
    title: `Buyer asks to cancel order ${orderId}`,
    body: 'The warehouse has the order. Answer POST /v1/orders/…/cancellation-decision {"stopped": true|false}.',
    dueAt: decideBy === undefined ? undefined : new Date(decideBy).toISOString(),
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
