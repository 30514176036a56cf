import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { orderWorkflowId } from '../workflows/ids';
import { orderAcknowledgment } from '../workflows/orderAcknowledgment/workflow';
import { CaseId, ShopId } from '../workflows/shared/searchAttributes';

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

/**
 * What one start-or-signal did: a new order workflow (also a new run after one that failed), a signal to the
 * running one, or nothing (its workflow completed).
 */
export type OrderStartOutcome = 'started' | 'signalled' | 'closed';

/**
 * `signalOrderWorkflow`, telling the caller what happened (reconciliation counts it). The SDK does not return the
 * server's `started` flag, so the running execution is read first: the same run id afterwards means it was only
 * signalled. A webhook starting the workflow between the two calls is counted as "started" (counts only; the
 * signal-with-start itself stays exactly-once).
 */
export async function startOrSignalOrderWorkflow<T>(
  deps: { temporal: Client; taskQueue: string },
  shopId: string,
  orderId: string,
  signal: SignalDefinition<[T]>,
  signalArg: T,
): Promise<OrderStartOutcome> {
  let runningRunId: string | undefined;
  try {
    const d = await deps.temporal.workflow.getHandle(orderWorkflowId(shopId, orderId)).describe();
    if (d.status.name === 'RUNNING') runningRunId = d.runId;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  try {
    const handle = await signalOrderWorkflow(deps, shopId, orderId, signal, signalArg);
    return handle.signaledRunId === runningRunId ? 'signalled' : 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'closed';
    throw err;
  }
}
