import type {
  AccountHealthReport,
  HealthSnapshot,
  HealthViolation,
  MetricKey,
  NewHealthViolation,
} from '../accountHealth/model';
import type { Db } from './knex';

/** The order facts the account-health metrics need (order_health_facts), as the order's last read showed them. */
export interface OrderHealthFacts {
  shopId: string;
  orderId: string;
  status: string;
  paidAt: Date | null;
  fulfilledByTikTok: boolean;
  tiktokShipping: boolean;
  creatorSample: boolean;
  collectedAt: Date | null;
  deliverBy: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
  cancelInitiator: string | null;
  cancelReason: string | null;
}

/** A dispatch fact as the metrics read it (order_dispatch_events, written by db/orders.ts). */
export interface DispatchFactRow {
  order_id: string;
  kind: string;
  occurred_at: Date;
  on_time: boolean | null;
}

interface FactsRow {
  shop_id: string;
  order_id: string;
  status: string;
  paid_at: Date | null;
  fulfilled_by_tiktok: boolean;
  tiktok_shipping: boolean;
  creator_sample: boolean;
  collected_at: Date | null;
  deliver_by: Date | null;
  delivered_at: Date | null;
  cancelled_at: Date | null;
  cancel_initiator: string | null;
  cancel_reason: string | null;
}

interface ViolationRow {
  id: string;
  shop_id: string;
  policy: string;
  points: number;
  occurred_at: Date;
  expires_at: Date;
  notice_ref: string | null;
  note: string | null;
  entered_by: string;
  entered_at: Date;
}

interface SnapshotRow {
  shop_id: string;
  day: string | Date;
  as_of: Date;
  score_value: number;
  milestone: number | null;
  rates: Partial<Record<MetricKey, number | null>>;
  report: AccountHealthReport;
}

const toFactsRow = (f: OrderHealthFacts): FactsRow => ({
  shop_id: f.shopId,
  order_id: f.orderId,
  status: f.status,
  paid_at: f.paidAt,
  fulfilled_by_tiktok: f.fulfilledByTikTok,
  tiktok_shipping: f.tiktokShipping,
  creator_sample: f.creatorSample,
  collected_at: f.collectedAt,
  deliver_by: f.deliverBy,
  delivered_at: f.deliveredAt,
  cancelled_at: f.cancelledAt,
  cancel_initiator: f.cancelInitiator,
  cancel_reason: f.cancelReason,
});

const fromFactsRow = (r: FactsRow): OrderHealthFacts => ({
  shopId: r.shop_id,
  orderId: r.order_id,
  status: r.status,
  paidAt: r.paid_at,
  fulfilledByTikTok: r.fulfilled_by_tiktok,
  tiktokShipping: r.tiktok_shipping,
  creatorSample: r.creator_sample,
  collectedAt: r.collected_at,
  deliverBy: r.deliver_by,
  deliveredAt: r.delivered_at,
  cancelledAt: r.cancelled_at,
  cancelInitiator: r.cancel_initiator,
  cancelReason: r.cancel_reason,
});

const toViolation = (r: ViolationRow): HealthViolation => ({
  id: String(r.id),
  shopId: r.shop_id,
  policy: r.policy,
  points: r.points,
  occurredAt: r.occurred_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  noticeRef: r.notice_ref,
  note: r.note,
  enteredBy: r.entered_by,
  enteredAt: r.entered_at.toISOString(),
});

const dayOf = (d: string | Date): string =>
  typeof d === 'string'
    ? d.slice(0, 10)
    : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

const FACT_COLUMNS = [
  'status',
  'paid_at',
  'fulfilled_by_tiktok',
  'tiktok_shipping',
  'creator_sample',
  'collected_at',
  'deliver_by',
  'delivered_at',
  'cancelled_at',
  'cancel_initiator',
  'cancel_reason',
] as const;

/**
 * Account health's tables (migration 025_account_health): order facts, violations entered from Seller Center
 * notices, daily snapshots and the per-shop dirty marker; plus the reads of order_dispatch_events the metrics need.
 */
export function createAccountHealthRepository(db: Db) {
  return {
    /**
     * Records the order's facts; true when something the metrics read changed (a new order, a new status,
     * a cancellation, a delivery), so the caller marks the shop dirty only then. A fact once known is not erased
     * by a later read that lacks it.
     */
    async recordOrderFacts(f: OrderHealthFacts): Promise<boolean> {
      const row = toFactsRow(f);
      // The value each column takes: flags and status as read now; a time as read now unless this read lacks it; the
      // cancellation time as first known (a read without TikTok's cancel_time dates it when first seen).
      const merged = (c: (typeof FACT_COLUMNS)[number]) =>
        typeof row[c] === 'boolean' || c === 'status'
          ? `excluded.${c}`
          : c === 'cancelled_at'
            ? `coalesce(order_health_facts.${c}, excluded.${c})`
            : `coalesce(excluded.${c}, order_health_facts.${c})`;
      // Only a row whose values change is written (and reported changed).
      const changed = FACT_COLUMNS.map((c) => `order_health_facts.${c} is distinct from ${merged(c)}`).join(' or ');
      const written = await db('order_health_facts')
        .insert(row)
        .onConflict(['shop_id', 'order_id'])
        .merge({ ...Object.fromEntries(FACT_COLUMNS.map((c) => [c, db.raw(merged(c))])), updated_at: db.fn.now() })
        .where(db.raw(`(${changed})`))
        .returning('order_id');
      return written.length > 0;
    },

    /**
     * An order TikTok reports delivered after its workflow closed (the order workflow ends at the carrier scan): the
     * delivery time of a known order, once. True when it was new.
     */
    async recordDelivered(shopId: string, orderId: string, deliveredAt: Date): Promise<boolean> {
      const n = await db('order_health_facts')
        .where({ shop_id: shopId, order_id: orderId })
        .whereNull('delivered_at')
        .update({ delivered_at: deliveredAt, status: 'DELIVERED', updated_at: db.fn.now() });
      return n > 0;
    },

    async orderFacts(shopId: string, orderId: string): Promise<OrderHealthFacts | undefined> {
      const row = await db('order_health_facts')
        .where({ shop_id: shopId, order_id: orderId })
        .first<FactsRow | undefined>();
      return row ? fromFactsRow(row) : undefined;
    },

    /** Facts of these orders (those we hold). */
    async factsOf(shopId: string, orderIds: readonly string[]): Promise<OrderHealthFacts[]> {
      if (orderIds.length === 0) return [];
      const rows = await db('order_health_facts')
        .where({ shop_id: shopId })
        .whereIn('order_id', orderIds)
        .select<FactsRow[]>('*');
      return rows.map(fromFactsRow);
    },

    /** Facts of the orders paid, collected, delivered or cancelled since `since` (the widest metric window). */
    async factsSince(shopId: string, since: Date): Promise<OrderHealthFacts[]> {
      const rows = await db('order_health_facts')
        .where({ shop_id: shopId })
        .andWhere((q) =>
          q
            .where('paid_at', '>=', since)
            .orWhere('collected_at', '>=', since)
            .orWhere('delivered_at', '>=', since)
            .orWhere('cancelled_at', '>=', since),
        )
        .select<FactsRow[]>('*');
      return rows.map(fromFactsRow);
    },

    /** The dispatch facts (dispatched, late, and the tracking of those orders) of the shop since `since`. */
    async dispatchFactsSince(shopId: string, since: Date): Promise<DispatchFactRow[]> {
      const dispatched = await db('order_dispatch_events')
        .where({ shop_id: shopId })
        .whereIn('kind', ['dispatched', 'late'])
        .where('occurred_at', '>=', since)
        .select<DispatchFactRow[]>('order_id', 'kind', 'occurred_at', 'on_time');
      if (dispatched.length === 0) return [];
      const tracking = await db('order_dispatch_events')
        .where({ shop_id: shopId, kind: 'tracking' })
        .whereIn(
          'order_id',
          dispatched.map((d) => d.order_id),
        )
        .select<DispatchFactRow[]>('order_id', 'kind', 'occurred_at', 'on_time');
      return [...dispatched, ...tracking];
    },

    async recordViolation(v: NewHealthViolation & { expiresAt: Date }): Promise<HealthViolation> {
      const [row] = await db('account_health_violations')
        .insert({
          shop_id: v.shopId,
          policy: v.policy,
          points: v.points,
          occurred_at: v.occurredAt,
          expires_at: v.expiresAt,
          notice_ref: v.noticeRef ?? null,
          note: v.note ?? null,
          entered_by: v.enteredBy,
        })
        .onConflict(['shop_id', 'notice_ref'])
        .merge(['policy', 'points', 'occurred_at', 'expires_at', 'note'])
        .returning<ViolationRow[]>('*');
      return toViolation(row!);
    },

    /** Violations that count at `at`: occurred by then and not expired. */
    async activeViolations(shopId: string, at: Date): Promise<HealthViolation[]> {
      const rows = await db('account_health_violations')
        .where({ shop_id: shopId })
        .where('occurred_at', '<=', at)
        .where('expires_at', '>', at)
        .orderBy('occurred_at', 'desc')
        .select<ViolationRow[]>('*');
      return rows.map(toViolation);
    },

    /** One snapshot per shop per day (UTC day of `asOf`): saving again the same day replaces it. */
    async saveSnapshot(report: AccountHealthReport): Promise<void> {
      await db('account_health_snapshots')
        .insert({
          shop_id: report.shopId,
          day: report.asOf.slice(0, 10),
          as_of: report.asOf,
          score_value: report.score.value,
          milestone: report.score.milestone?.threshold ?? null,
          rates: JSON.stringify(Object.fromEntries(report.metrics.map((m) => [m.key, m.rate]))),
          report: JSON.stringify(report),
        })
        .onConflict(['shop_id', 'day'])
        .merge(['as_of', 'score_value', 'milestone', 'rates', 'report']);
    },

    /** Snapshots of the days `from`..`to` (inclusive, YYYY-MM-DD or dates), oldest first. */
    async history(shopId: string, from: Date | string, to: Date | string): Promise<HealthSnapshot[]> {
      const day = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));
      const rows = await db('account_health_snapshots')
        .where({ shop_id: shopId })
        .whereBetween('day', [day(from), day(to)])
        .orderBy('day')
        .select<SnapshotRow[]>('*');
      return rows.map((r) => ({
        shopId: r.shop_id,
        day: dayOf(r.day),
        asOf: r.as_of.toISOString(),
        scoreValue: r.score_value,
        milestone: r.milestone,
        rates: r.rates,
        report: r.report,
      }));
    },

    /** Marks the shop dirty; true only when it was clean (the caller then signals the workflow, once). */
    async markDirty(shopId: string, at: Date = new Date()): Promise<boolean> {
      const result = await db.raw<{ rows: { inserted: boolean }[] }>(
        `insert into account_health_dirty (shop_id, dirty_since, last_marked_at) values (?, ?, ?)
         on conflict (shop_id) do update set last_marked_at = greatest(account_health_dirty.last_marked_at, excluded.last_marked_at)
         returning (xmax = 0) as inserted`,
        [shopId, at, at],
      );
      return result.rows[0]?.inserted === true;
    },

    /** The shop's changes up to `upTo` are taken in: clean again unless it was marked after `upTo`. */
    async clearDirty(shopId: string, upTo: Date): Promise<boolean> {
      const n = await db('account_health_dirty').where({ shop_id: shopId }).where('last_marked_at', '<=', upTo).del();
      return n > 0;
    },

    /** Whether the shop has changes not taken in yet (and since when). */
    async dirtySince(shopId: string): Promise<Date | undefined> {
      const row = await db('account_health_dirty')
        .where({ shop_id: shopId })
        .first<{ dirty_since: Date } | undefined>();
      return row?.dirty_since;
    },
  };
}

export type AccountHealthRepository = ReturnType<typeof createAccountHealthRepository>;
