import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { orderWorkflowId } from '../workflows/ids';
import { orderAcknowledgment } from '../workflows/orderAcknowledgment';
import { OrderId, ShopId } from './searchAttributes';

/**
 * Signal-with-start of `order:<shopId>:<orderId>`, the one path used by the webhook relay and by reconciliation.
 * `USE_EXISTING`: a running order workflow just receives the signal. `REJECT_DUPLICATE`: once an order's workflow
 * has closed, a late event never starts a second acknowledgment; the call then fails with
 * WorkflowExecutionAlreadyStartedError, which callers treat as "nothing to do".
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
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: ShopId, value: shopId },
      { key: OrderId, value: orderId },
    ],
  });
}
