import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { StartDelivery } from '../notifications/notifier';
import { notificationDeliveryWorkflowId } from '../workflows/ids';
import { notificationDelivery } from '../workflows/notificationDelivery/workflow';
import type { DeliveryRetry } from '../workflows/notificationDelivery/messages';

// Product cadence (ours): a chat webhook that is down for a while is tried again within minutes at first, then at
// most every 30 minutes, for a day.
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = {
  initialIntervalMs: 10_000,
  maximumIntervalMs: 30 * 60_000,
  giveUpAfterMs: 24 * 3_600_000,
};

/**
 * Starts the delivery workflow of a stored notification; one per notification id (a retried `notify` activity
 * finds it started and does nothing).
 */
export function temporalDeliveryStarter(deps: {
  temporal: Client;
  taskQueue: string;
  retry?: DeliveryRetry;
}): StartDelivery {
  return async (notificationId) => {
    try {
      await deps.temporal.workflow.start(notificationDelivery, {
        workflowId: notificationDeliveryWorkflowId(deps.taskQueue, notificationId),
        taskQueue: deps.taskQueue,
        args: [{ notificationId, retry: deps.retry ?? DEFAULT_DELIVERY_RETRY }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}
