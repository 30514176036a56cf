import { ActivityFailure, log, proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '../../activities/notificationDelivery';
import type { NotificationDeliveryInput } from './messages';

/**
 * The outward delivery of one stored notification (Slack-compatible POST), retried on its own schedule. No business
 * workflow waits on it: the order that raised the notification has moved on once the row was stored (issue 12.4).
 */
export async function notificationDelivery(input: NotificationDeliveryInput): Promise<string> {
  const { deliverNotification } = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.retry.giveUpAfterMs,
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.retry.maximumIntervalMs,
    },
  });
  try {
    return await deliverNotification(input.notificationId);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // Given up: the row still lists the notification with its last delivery error; nothing else depends on it.
    log.warn('notification not delivered', { notificationId: input.notificationId, error: err.cause?.message });
    return 'given up';
  }
}
