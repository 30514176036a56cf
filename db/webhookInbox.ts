import { whereShopIn, type Db } from './knex';

/** The PostgreSQL channel a committed inbox row is announced on (the relay LISTENs on it). */
export const INBOX_CHANNEL = 'webhook_inbox';

/** Columns of an inbox row as the API lists them (not the raw body). */
const LISTED_COLUMNS = [
  'id',
  'dedup_key',
  'type',
  'kind',
  'shop_id',
  'status',
  'deliveries',
  'attempts',
  'last_error',
  'workflow_id',
  'received_at',
  'routed_at',
];

/** One row to store: the event as JSON text, its raw body, and how many deliveries of it arrived. */
export interface InboxInsert {
  dedupKey: string;
  type: number;
  kind: string;
  shopId: string | null;
  event: string;
  rawBody: string;
  deliveries: number;
}

/** A row a relay claimed: `lease_until` is PostgreSQL's text of the lease end, exact to the microsecond. */
export interface ClaimedInboxRow<E = unknown> {
  id: string;
  kind: string;
  event: E;
  attempts: number;
  lease_until: string;
}

/** The data fields naming the entity and its status in each status-change event (ref §11.4). Constants, never input. */
const STATUS_EVENT_FIELDS = {
  ORDER_STATUS_CHANGE: { id: 'order_id', status: 'order_status' },
  RETURN_STATUS_CHANGE: { id: 'return_id', status: 'return_status' },
} as const;

/**
 * The webhook inbox: rows written by the receiver (webhooks/inboxWriter.ts, group commit), routed to workflows by
 * the relay (webhooks/relay.ts, claim with a lease), listed and replayed by operators, purged by retention.
 */
export function createWebhookInboxRepository(db: Db) {
  return {
    /** Stores rows in one statement; a repeated dedup key counts its deliveries on the stored row. */
    async insertMany(rows: InboxInsert[]): Promise<Map<string, { id: string; deliveries: number }>> {
      const values: (string | number | null)[] = [];
      const tuples: string[] = [];
      for (const row of rows) {
        tuples.push('(?, ?, ?, ?, ?, ?, ?)');
        values.push(row.dedupKey, row.type, row.kind, row.shopId, row.event, row.rawBody, row.deliveries);
      }
      const result = await db.raw<{ rows: { id: string; dedup_key: string; deliveries: number }[] }>(
        `insert into webhook_inbox (dedup_key, type, kind, shop_id, event, raw_body, deliveries)
         values ${tuples.join(', ')}
         on conflict (dedup_key) do update set deliveries = webhook_inbox.deliveries + excluded.deliveries
         returning id, dedup_key, deliveries`,
        values,
      );
      return new Map(result.rows.map((r) => [r.dedup_key, { id: r.id, deliveries: r.deliveries }]));
    },

    /** Wakes the relays (NOTIFY on INBOX_CHANNEL). */
    async announce(payload = ''): Promise<void> {
      await db.raw('select pg_notify(?, ?)', [INBOX_CHANNEL, payload]);
    },

    /** Claims up to `limit` due rows (oldest first), including rows whose earlier relay's lease ran out. */
    async claim<E>(leaseMs: number, limit: number): Promise<ClaimedInboxRow<E>[]> {
      const result = await db.raw<{ rows: ClaimedInboxRow<E>[] }>(
        `update webhook_inbox set status = 'delivering', next_attempt_at = now() + (? * interval '1 millisecond')
          where id in (
            select id from webhook_inbox
             where status in ('pending', 'failed', 'delivering') and next_attempt_at <= now()
             order by id limit ? for update skip locked)
          returning id, kind, event, attempts, next_attempt_at::text as lease_until`,
        [leaseMs, limit],
      );
      return result.rows.sort((a, b) => Number(a.id) - Number(b.id));
    },

    /** Records a delivery's outcome on the row, only while the lease is still the one it was claimed with. */
    async settle(row: { id: string; lease_until: string }, update: Record<string, unknown>): Promise<void> {
      await db('webhook_inbox')
        .where({ id: row.id, status: 'delivering' })
        .whereRaw('next_attempt_at = ?::timestamptz', [row.lease_until])
        .update(update);
    },

    /** Unrouted rows of these kinds become pending again; returns how many. */
    async requeueUnrouted(kinds: string[]): Promise<number> {
      if (kinds.length === 0) return 0;
      return db('webhook_inbox')
        .where({ status: 'unrouted' })
        .whereIn('kind', kinds)
        .update({ status: 'pending', next_attempt_at: db.fn.now() });
    },

    /** Rows for operators, newest first, with counts per status; `shopIds` is the caller's scope (null: all). */
    async list(opts: {
      shopIds: readonly string[] | null;
      status?: string;
      kind?: string;
      shopId?: string;
      before?: number;
      limit: number;
    }): Promise<{ events: Record<string, unknown>[]; counts: Record<string, number> }> {
      let query = whereShopIn(
        db('webhook_inbox').select(LISTED_COLUMNS).orderBy('id', 'desc').limit(opts.limit),
        opts.shopIds,
      );
      if (opts.status) query = query.where('status', opts.status);
      if (opts.kind) query = query.where('kind', opts.kind);
      if (opts.shopId) query = query.where('shop_id', opts.shopId);
      if (opts.before) query = query.where('id', '<', opts.before);
      const counts = await whereShopIn(db('webhook_inbox'), opts.shopIds)
        .select('status')
        .count<{ status: string; count: string }[]>('* as count')
        .groupBy('status');
      return {
        events: (await query) as Record<string, unknown>[],
        counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.count)])),
      };
    },

    /** The whole row (raw body included), if it is in the caller's scope. */
    async get(id: number, shopIds: readonly string[] | null): Promise<Record<string, unknown> | undefined> {
      return whereShopIn(db('webhook_inbox').where({ id }), shopIds).first<Record<string, unknown> | undefined>();
    },

    /** Makes the row pending again (attempts reset) and wakes the relays; undefined when not in scope. */
    async replay(id: number, shopIds: readonly string[] | null): Promise<Record<string, unknown> | undefined> {
      const [row] = await whereShopIn(db('webhook_inbox').where({ id }), shopIds)
        .update({ status: 'pending', attempts: 0, last_error: null, next_attempt_at: db.fn.now() })
        .returning<Record<string, unknown>[]>(LISTED_COLUMNS);
      if (row) await db.raw('select pg_notify(?, ?)', [INBOX_CHANNEL, String(id)]);
      return row;
    },

    /**
     * The (id, status) pairs of ORDER_STATUS_CHANGE (order id, order status) or RETURN_STATUS_CHANGE (return id,
     * return status) events of these orders or returns that are routed or on their way (pending, delivering): their
     * workflows have heard of them, or will. Indexed per kind (migrations 007 and 021).
     */
    async statusEvents(
      shopId: string,
      kind: keyof typeof STATUS_EVENT_FIELDS,
      ids: string[],
    ): Promise<{ id: string; status: string }[]> {
      if (ids.length === 0) return [];
      const { id, status } = STATUS_EVENT_FIELDS[kind];
      return db('webhook_inbox')
        .where({ shop_id: shopId, kind })
        .whereIn('status', ['pending', 'delivering', 'routed'])
        .whereRaw(`event->'data'->>'${id}' = any(?)`, [ids])
        .select<{ id: string; status: string }[]>(
          db.raw(`event->'data'->>'${id}' as id`),
          db.raw(`event->'data'->>'${status}' as status`),
        );
    },

    /** Retention: a keyset page of delivered rows (routed, skipped) received before `before`. */
    async expiredDeliveredPage(
      before: Date,
      afterId: string,
      limit: number,
    ): Promise<{ id: string; shop_id: string | null; event: unknown }[]> {
      return db('webhook_inbox')
        .whereIn('status', ['routed', 'skipped'])
        .andWhere('received_at', '<', before)
        .andWhere('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .select<{ id: string; shop_id: string | null; event: unknown }[]>('id', 'shop_id', 'event');
    },

    async deleteIds(ids: string[]): Promise<number> {
      return ids.length ? db('webhook_inbox').whereIn('id', ids).del() : 0;
    },
  };
}

export type WebhookInboxRepository = ReturnType<typeof createWebhookInboxRepository>;
