import { whereShopIn, type Db } from './knex';

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

/** Notifications: stored once per dedup key (notifications/notifier.ts), delivered outward, acknowledged. */
export function createNotificationRepository(db: Db) {
  return {
    /** Stores the notification unless its dedup key is known; returns the stored row either way. */
    async store(input: NotificationInput): Promise<NotificationRow> {
      await db('notifications')
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
      return (await db<NotificationRow>('notifications').where({ dedup_key: input.dedupKey }).first())!;
    },

    async get(id: string): Promise<NotificationRow | undefined> {
      return db<NotificationRow>('notifications').where({ id }).first();
    },

    /** One delivery attempt succeeded. */
    async markDelivered(id: string): Promise<void> {
      await db('notifications')
        .where({ id })
        .update({ delivered_at: new Date(), delivery_error: null, delivery_attempts: db.raw('delivery_attempts + 1') });
    },

    /** One delivery attempt failed: the error stays on the row for operators. */
    async markDeliveryFailed(id: string, error: string): Promise<void> {
      await db('notifications')
        .where({ id })
        .update({ delivery_error: error, delivery_attempts: db.raw('delivery_attempts + 1') });
    },

    /** Newest first; `shopIds` is the caller's scope (null: every row, those without a shop included). */
    async list(opts: {
      shopIds: readonly string[] | null;
      shopId?: string;
      unacknowledged?: boolean;
      limit: number;
    }): Promise<NotificationRow[]> {
      let query = whereShopIn(db('notifications').select('*').orderBy('id', 'desc').limit(opts.limit), opts.shopIds);
      if (opts.shopId) query = query.where('shop_id', opts.shopId);
      if (opts.unacknowledged) query = query.whereNull('acknowledged_at');
      return (await query) as NotificationRow[];
    },

    /** Marks the notification acknowledged by `by`; undefined when it is not in the caller's scope. */
    async acknowledge(
      id: number,
      shopIds: readonly string[] | null,
      by: string | null,
    ): Promise<NotificationRow | undefined> {
      const [row] = await whereShopIn(db('notifications').where({ id }), shopIds)
        .update({ acknowledged_at: db.fn.now(), acknowledged_by: by })
        .returning<NotificationRow[]>('*');
      return row;
    },

    /**
     * The notifications raised on these orders (dedup key `order:<shopId>:<orderId>:<kind>`, notifyOperators in
     * activities/orderAcknowledgment/escalations.ts), oldest first.
     */
    async orderNotifications(
      shopId: string,
      orderIds: readonly string[],
    ): Promise<{ order_id: string; kind: string; created_at: Date }[]> {
      if (orderIds.length === 0) return [];
      const prefix = `order:${shopId}:`;
      const rows = await db('notifications')
        .where({ shop_id: shopId })
        .whereRaw('starts_with(dedup_key, ?)', [prefix])
        .whereRaw("split_part(substr(dedup_key, ?), ':', 1) = any(?)", [prefix.length + 1, [...orderIds]])
        .orderBy('created_at')
        .orderBy('id')
        .select<{ dedup_key: string; kind: string; created_at: Date }[]>('dedup_key', 'kind', 'created_at');
      return rows.map((r) => ({
        order_id: r.dedup_key.slice(prefix.length).split(':')[0]!,
        kind: r.kind,
        created_at: r.created_at,
      }));
    },

    /** How many order notifications of a kind prefix the shop raised in [from, to), and the first one's time. */
    async countOrderNotifications(
      shopId: string,
      kindPrefix: string,
      from: Date,
      to: Date,
    ): Promise<{ count: number; first: Date | null }> {
      const row = await db('notifications')
        .where({ shop_id: shopId })
        .whereRaw("starts_with(dedup_key, 'order:')")
        .whereRaw('starts_with(kind, ?)', [kindPrefix])
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .first<{ count: string; first: Date | null }>(db.raw('count(*) as count'), db.raw('min(created_at) as first'));
      return { count: Number(row?.count ?? 0), first: row?.first ?? null };
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
