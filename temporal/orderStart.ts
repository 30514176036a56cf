import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { orderWorkflowId } from '../workflows/ids';
import { orderAcknowledgment } from '../workflows/orderAcknowledgment/workflow';
import { CaseId, ShopId } from '../workflows/shared/searchAttributes';
import { signalWithStartOutcome, type StartOutcome } from './startOutcome';

/**
 * Signal-with-start of `order:<shopId>:<orderId>`, the one path used by the webhook relay and by reconciliation.
 * `USE_EXISTING`: a running order workflow just receives the signal. `ALLOW_DUPLICATE_FAILED_ONLY`: once an
 * order's workflow has completed, a late event never starts a second acknowledgment (the call then fails with
 * WorkflowExecutionAlreadyStartedError, which callers treat as "nothing to do"); one that failed, was terminated,
 * cancelled or timed out left its order unattended, so the next event or reconciliation run starts it again
 * (issue 12 item 5; Temporal's workflow id reuse policy, docs.temporal.io "Workflow Id Reuse Policy").
 */
export async function signalOrderWorkflow<T>(
  deps: { temporal: Client; taskQueue: string },
  shopId: string,
  orderId: string,
  signal: SignalDefinition<[T]>,
  signalArg: T,
) {
  return deps.temporal.workflow.signalWithStart(orderAcknowledgment, {
    workflowId: orderWorkflowId(shopId, orderId),
    taskQueue: deps.taskQueue,
    args: [{ shopId, orderId }],
    signal,
    signalArgs: [signalArg],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    typedSearchAttributes: [
      { key: ShopId, value: shopId },
      { key: CaseId, value: orderId },
    ],
  });
}

/** `signalOrderWorkflow`, telling the caller what happened (temporal/startOutcome.ts). */
export async function startOrSignalOrderWorkflow<T>(
  deps: { temporal: Client; taskQueue: string },
  shopId: string,
  orderId: string,
  signal: SignalDefinition<[T]>,
  signalArg: T,
): Promise<StartOutcome> {
  return signalWithStartOutcome(deps.temporal, orderWorkflowId(shopId, orderId), () =>
    signalOrderWorkflow(deps, shopId, orderId, signal, signalArg),
  );
}
