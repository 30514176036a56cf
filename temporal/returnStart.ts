import type { Client } from '@temporalio/client';
import { returnWorkflowId } from '../workflows/ids';
import { returnStatusChangedSignal, type ReturnStatusChanged } from '../workflows/returnRequest/messages';
import { returnRequest } from '../workflows/returnRequest/workflow';
import { CaseId, CaseKind, ShopId } from '../workflows/shared/searchAttributes';
import { signalWithStartOutcome, type StartOutcome } from './startOutcome';

/** TikTok's RETURN_STATUS_CHANGE (webhook or reconciliation): the return's status and TikTok's update time. */
export type ReturnStatusChange = ReturnStatusChanged;

/**
 * Signal-with-start of `return:<shopId>:<returnId>` (signal `returnStatusChanged`), the one path of the webhook relay
 * and of the return reconciliation, with the order's policies (temporal/orderStart.ts): a running workflow just
 * receives the signal; a completed one is never started again (WorkflowExecutionAlreadyStartedError: nothing to do);
 * one that failed or was terminated is started again by the next event.
 */
export async function signalReturnWorkflow(
  ctx: { temporal: Client; taskQueue: string },
  shopId: string,
  returnId: string,
  change: ReturnStatusChange,
) {
  return ctx.temporal.workflow.signalWithStart(returnRequest, {
    workflowId: returnWorkflowId(shopId, returnId),
    taskQueue: ctx.taskQueue,
    args: [{ shopId, returnId }],
    signal: returnStatusChangedSignal,
    signalArgs: [change],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    typedSearchAttributes: [
      { key: ShopId, value: shopId },
      { key: CaseKind, value: 'return' },
      { key: CaseId, value: returnId },
    ],
  });
}

/** `signalReturnWorkflow`, telling the caller what happened (temporal/startOutcome.ts). */
export async function startOrSignalReturnWorkflow(
  ctx: { temporal: Client; taskQueue: string },
  shopId: string,
  returnId: string,
  change: ReturnStatusChange,
): Promise<StartOutcome> {
  return signalWithStartOutcome(ctx.temporal, returnWorkflowId(shopId, returnId), () =>
    signalReturnWorkflow(ctx, shopId, returnId, change),
  );
}
