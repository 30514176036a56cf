import type { Db } from '../db/knex';
import { createNotificationRepository, type NotificationInput, type NotificationRow } from '../db/notifications';

export type { NotificationInput, NotificationRow, Severity } from '../db/notifications';

/** Slack incoming-webhook message (also understood by Mattermost, Rocket.Chat and most chat bridges). */
export function slackMessage(n: Pick<NotificationRow, 'severity' | 'title' | 'body' | 'links' | 'shop_id'>) {
  const icon =
    n.severity === 'critical' ? ':rotating_light:' : n.severity === 'warning' ? ':warning:' : ':information_source:';
  const links = n.links.map((l) => `<${l.url}|${l.label}>`).join('  ·  ');
  const shop = n.shop_id ? ` (shop ${n.shop_id})` : '';
  const text = `${icon} *${n.title}*${shop}\n${n.body}${links ? `\n${links}` : ''}`;
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** Starts the outward delivery of a stored notification (a `notificationDelivery` workflow of its own). */
export type StartDelivery = (notificationId: string) => Promise<void>;

/**
 * Notifications are rows (listed through the API); the row is the notification. When NOTIFY_WEBHOOK_URL is set, its
 * outward POST of Slack-compatible JSON is a `notificationDelivery` workflow of its own with its own retries
 * (workflows/notificationDelivery/workflow.ts): `notify` only stores the row and starts that workflow, so a dead chat URL
 * never holds up the business workflow that raised the notification (issue 12.4). `deliver` is the POST itself.
 */
export function createNotifier(deps: {
  db: Db;
  webhookUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  startDelivery?: StartDelivery;
}) {
  const doFetch = deps.fetch ?? fetch;
  const notifications = createNotificationRepository(deps.db);
  return {
    async notify(input: NotificationInput): Promise<NotificationRow> {
      const row = await notifications.store(input);
      if (deps.webhookUrl && !row.delivered_at && deps.startDelivery) await deps.startDelivery(String(row.id));
      return row;
    },

    /**
     * POSTs the stored notification to NOTIFY_WEBHOOK_URL once; throws on a failed delivery so the delivery
     * workflow's activity retries (the error and the attempt count stay on the row for operators).
     */
    async deliver(notificationId: string): Promise<'delivered' | 'already delivered' | 'no target'> {
      const row = await notifications.get(notificationId);
      if (!row) return 'no target';
      if (row.delivered_at) return 'already delivered';
      if (!deps.webhookUrl) return 'no target';
      try {
        const res = await doFetch(deps.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(slackMessage(row)),
          signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        });
        if (!res.ok) throw new Error(`notification webhook answered HTTP ${res.status}`);
        await notifications.markDelivered(row.id);
        return 'delivered';
      } catch (err) {
        await notifications.markDeliveryFailed(row.id, (err as Error).message);
        throw err;
      }
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
