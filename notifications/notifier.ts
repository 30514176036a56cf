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

/**
 * Notifications are rows (listed through the API) plus, when NOTIFY_WEBHOOK_URL is set, a POST of Slack-compatible
 * JSON. A failed delivery throws so the calling activity retries; the row is not written twice.
 */
export function createNotifier(deps: { db: Db; webhookUrl?: string; fetch?: typeof fetch; timeoutMs?: number }) {
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
      if (!deps.webhookUrl || row.delivered_at) return row;
      try {
        const res = await doFetch(deps.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(slackMessage(row)),
          signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        });
        if (!res.ok) throw new Error(`notification webhook answered HTTP ${res.status}`);
        await deps.db('notifications').where({ id: row.id }).update({ delivered_at: new Date(), delivery_error: null });
        return { ...row, delivered_at: new Date() };
      } catch (err) {
        await deps
          .db('notifications')
          .where({ id: row.id })
          .update({ delivery_error: (err as Error).message });
        throw err;
      }
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
