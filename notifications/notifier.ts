import type { Db } from '../db/knex';

export type Severity = 'info' | 'warning' | 'critical';

export interface NotificationInput {
  /** Same key, same notification: a retried activity never notifies twice. */
  dedupKey: string;
  shopId?: string;
  kind: string;
  severity: Severity;
  title: string;
  body: string;
  links?: { label: string; url: string }[];
}

export interface NotificationRow {
  id: string;
  dedup_key: string;
  shop_id: string | null;
  kind: string;
  severity: Severity;
  title: string;
  body: string;
  links: { label: string; url: string }[];
  created_at: Date;
  delivered_at: Date | null;
  delivery_error: string | null;
  delivery_attempts: number;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

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
  return {
    async notify(input: NotificationInput): Promise<NotificationRow> {
      await deps
        .db('notifications')
        .insert({
          dedup_key: input.dedupKey,
          shop_id: input.shopId ?? null,
          kind: input.kind,
          severity: input.severity,
          title: input.title,
          body: input.body,
          links: JSON.stringify(input.links ?? []),
        })
        .onConflict('dedup_key')
        .ignore();
      const row = (await deps.db<NotificationRow>('notifications').where({ dedup_key: input.dedupKey }).first())!;
      if (deps.webhookUrl && !row.delivered_at && deps.startDelivery) await deps.startDelivery(String(row.id));
      return row;
    },

    /**
     * POSTs the stored notification to NOTIFY_WEBHOOK_URL once; throws on a failed delivery so the delivery
     * workflow's activity retries (the error and the attempt count stay on the row for operators).
     */
    async deliver(notificationId: string): Promise<'delivered' | 'already delivered' | 'no target'> {
      const row = await deps.db<NotificationRow>('notifications').where({ id: notificationId }).first();
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
        await deps
          .db('notifications')
          .where({ id: row.id })
          .update({
            delivered_at: new Date(),
            delivery_error: null,
            delivery_attempts: deps.db.raw('delivery_attempts + 1'),
          });
        return 'delivered';
      } catch (err) {
        await deps
          .db('notifications')
          .where({ id: row.id })
          .update({ delivery_error: (err as Error).message, delivery_attempts: deps.db.raw('delivery_attempts + 1') });
        throw err;
      }
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
