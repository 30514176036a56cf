import type { Notifier } from '../../notifications/notifier';

export function createNotificationActivities(deps: { notifier: Pick<Notifier, 'deliver'> }) {
  return {
    /** One POST of the stored notification to NOTIFY_WEBHOOK_URL; throws (and is retried) when it fails. */
    async deliverNotification(notificationId: string): Promise<string> {
      return deps.notifier.deliver(notificationId);
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
