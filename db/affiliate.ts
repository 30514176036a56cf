import type { Knex } from 'knex';
import type { Db } from './knex';

// Affiliate data (migration 026_affiliate_data): written by the affiliate sync (activities/affiliateSync/), read by
// the affiliate audit. Rates are integers in hundredths of a percent (1550 = 15.50%) as TikTok sends them; money
// columns come back from PostgreSQL as decimal strings ("12.34"); dates ('YYYY-MM-DD') as strings.

export type CollaborationKind = 'open' | 'target';

/** One entry of an affiliate order's skus[] (Search Seller Affiliate Orders), keyed by its position `line_no`. */
export interface AffiliateOrderLineRow {
  shop_id: string;
  order_id: string;
  line_no: number;
  /** PROCESSING | COMPLETED | CANCELLED | FROZEN | DEDUCTED */
  order_status: string;
  order_create_time: Date;
  delivery_time: Date | null;
  product_id: string;
  quantity: number;
  price_amount: string | null;
  currency: string | null;
  open_collaboration_id: string | null;
  target_collaboration_id: string | null;
  campaign_id: string | null;
  creator_username: string | null;
  /** SHOP | VIDEO | LIVE | PRE_LIVE | PROMOTION_PAGE | LINKSHARE */
  content_type: string | null;
  content_id: string | null;
  commission_model: string | null;
  commission_tier_setting: string | null;
  commission_rate: number | null;
  shop_ads_commission_rate: number | null;
  estimated_commission_base: string | null;
  estimated_paid_commission: string | null;
  estimated_paid_shop_ads_commission: string | null;
  actual_commission_base: string | null;
  actual_paid_commission: string | null;
  actual_paid_shop_ads_commission: string | null;
  estimated_cofunded_creator_bonus: string | null;
  actual_cofunded_creator_bonus: string | null;
  refunded_quantity: number;
  returned_quantity: number;
  first_seen_at: Date;
  synced_at: Date;
}

/** What the sync writes for a line (the row without its bookkeeping columns). */
export type AffiliateOrderLineRecord = Omit<AffiliateOrderLineRow, 'shop_id' | 'first_seen_at' | 'synced_at'>;

export interface AffiliateCollaborationRow {
  shop_id: string;
  kind: CollaborationKind;
  collaboration_id: string;
  name: string | null;
  status: string | null;
  effective_time: Date | null;
  end_time: Date | null;
  first_seen_at: Date;
  last_seen_at: Date;
  /** A sync no longer found it. */
  gone_at: Date | null;
}

export interface AffiliateCollaborationCreatorRow {
  shop_id: string;
  kind: CollaborationKind;
  collaboration_id: string;
  creator_open_id: string;
  status: 'active' | 'removed';
  first_seen_at: Date;
  removed_at: Date | null;
}

/** A collaboration's rate for one product on one day (the last value seen that day). */
export interface AffiliateRateSnapshotRow {
  shop_id: string;
  kind: CollaborationKind;
  collaboration_id: string;
  product_id: string;
  /** YYYY-MM-DD (UTC day of the sync) */
  snapshot_date: string;
  commission_rate: number;
  shop_ads_commission_rate: number | null;
  captured_at: Date;
}

export interface AffiliateCreatorRow {
  shop_id: string;
  creator_open_id: string;
  username: string;
  nickname: string | null;
  follower_count: number | null;
  selection_region: string | null;
  first_seen_at: Date;
  updated_at: Date;
}

/** Get Marketplace Creator Performance (TikTok's last-30-days figures) as fetched on `as_of_date`. */
export interface AffiliateCreatorPerformanceRow {
  shop_id: string;
  creator_open_id: string;
  /** YYYY-MM-DD */
  as_of_date: string;
  currency: string | null;
  gmv: string | null;
  video_gmv: string | null;
  live_gmv: string | null;
  /** GMV per 1,000 views */
  gpm: string | null;
  video_gpm: string | null;
  units_sold: number | null;
  ec_video_count: number | null;
  avg_ec_video_play_count: string | null;
  avg_commission_rate: number | null;
  follower_count: number | null;
  fetched_at: Date;
}

/** Get Shop Video Performance List: one creator video's figures over [period_start, period_end). */
export interface AffiliateVideoPerformanceRow {
  shop_id: string;
  video_id: string;
  /** YYYY-MM-DD */
  period_start: string;
  /** YYYY-MM-DD, exclusive */
  period_end: string;
  username: string | null;
  title: string | null;
  posted_at: Date | null;
  currency: string | null;
  gmv: string | null;
  sku_orders: number | null;
  units_sold: number | null;
  views: string | null;
  click_through_rate: string | null;
  product_ids: string[];
  fetched_at: Date;
}

export type VideoPerformanceRecord = Omit<
  AffiliateVideoPerformanceRow,
  'shop_id' | 'period_start' | 'period_end' | 'fetched_at' | 'views'
> & { views: number | null };

/** A creator's videos over one period, summed (GMV per view = gmv / views). */
export interface CreatorVideoTotals {
  username: string;
  videos: number;
  views: string;
  gmv: string;
}

/** A collaboration as a sync saw it, with its current per-product rates and (target) creators. */
export interface CollaborationRecord {
  kind: CollaborationKind;
  collaborationId: string;
  name?: string;
  status?: string;
  effectiveTime?: Date;
  endTime?: Date;
  products: { productId: string; commissionRate: number; shopAdsCommissionRate?: number }[];
  /** Target collaborations only; undefined leaves the stored list alone. */
  creatorOpenIds?: string[];
}

export type CreatorRecord = Omit<AffiliateCreatorRow, 'shop_id' | 'first_seen_at' | 'updated_at'>;
export type CreatorPerformanceRecord = Omit<
  AffiliateCreatorPerformanceRow,
  'shop_id' | 'creator_open_id' | 'as_of_date' | 'fetched_at' | 'avg_ec_video_play_count'
> & { avg_ec_video_play_count: number | null };

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** The UTC calendar day of `at` (snapshots and performance rows are per day). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

const CREATOR_FIELDS = ['username', 'nickname', 'follower_count', 'selection_region'];

const SNAPSHOT_COLUMNS = [
  'shop_id',
  'kind',
  'collaboration_id',
  'product_id',
  db_date('snapshot_date'),
  'commission_rate',
  'shop_ads_commission_rate',
  'captured_at',
];
const PERFORMANCE_COLUMNS = [
  'shop_id',
  'creator_open_id',
  db_date('as_of_date'),
  'currency',
  'gmv',
  'video_gmv',
  'live_gmv',
  'gpm',
  'video_gpm',
  'units_sold',
  'ec_video_count',
  'avg_ec_video_play_count',
  'avg_commission_rate',
  'follower_count',
  'fetched_at',
];

// node-postgres turns DATE into a local-midnight Date; the day itself is what we mean, so read it as text.
function db_date(column: string): string {
  return `${column}::text as ${column}`;
}

async function countedUpsert(query: Knex.QueryBuilder): Promise<UpsertCounts> {
  // xmax = 0 only on a freshly inserted tuple: the usual way to tell inserts from updates in one upsert.
  const rows: { inserted: boolean }[] = await query.returning(query.client.raw('(xmax = 0) as inserted'));
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/** The affiliate tables: upserts for the sync (idempotent), keyset reads for the audit. */
export function createAffiliateRepository(db: Db) {
  return {
    /**
     * Inserts or refreshes order lines; a line whose fields did not change is left untouched (not counted), so a
     * re-run reports 0 inserted / 0 updated.
     */
    async upsertOrderLines(shopId: string, lines: AffiliateOrderLineRecord[]): Promise<UpsertCounts> {
      if (lines.length === 0) return { inserted: 0, updated: 0 };
      const rows = lines.map((l) => ({ ...l, shop_id: shopId }));
      const fields = Object.keys(lines[0]!).filter((k) => k !== 'order_id' && k !== 'line_no');
      const changed = fields.map((f) => `affiliate_order_lines.${f} is distinct from excluded.${f}`).join(' or ');
      const query = db('affiliate_order_lines')
        .insert(rows)
        .onConflict(['shop_id', 'order_id', 'line_no'])
        .merge([...fields, 'synced_at'])
        .whereRaw(changed);
      return countedUpsert(query);
    },

    /**
     * Records collaborations as seen now: the collaboration row, today's rate snapshot per product, and (target)
     * its creators (creators no longer listed become 'removed').
     */
    async upsertCollaborations(shopId: string, records: CollaborationRecord[], seenAt: Date): Promise<UpsertCounts> {
      if (records.length === 0) return { inserted: 0, updated: 0 };
      const day = utcDay(seenAt);
      return db.transaction(async (trx) => {
        const counts = await countedUpsert(
          trx('affiliate_collaborations')
            .insert(
              records.map((r) => ({
                shop_id: shopId,
                kind: r.kind,
                collaboration_id: r.collaborationId,
                name: r.name ?? null,
                status: r.status ?? null,
                effective_time: r.effectiveTime ?? null,
                end_time: r.endTime ?? null,
                first_seen_at: seenAt,
                last_seen_at: seenAt,
              })),
            )
            .onConflict(['shop_id', 'kind', 'collaboration_id'])
            .merge({
              name: trx.raw('excluded.name'),
              status: trx.raw('excluded.status'),
              effective_time: trx.raw('excluded.effective_time'),
              end_time: trx.raw('excluded.end_time'),
              last_seen_at: trx.raw('greatest(affiliate_collaborations.last_seen_at, excluded.last_seen_at)'),
              gone_at: null,
            }),
        );
        const snapshots = records.flatMap((r) =>
          r.products.map((p) => ({
            shop_id: shopId,
            kind: r.kind,
            collaboration_id: r.collaborationId,
            product_id: p.productId,
            snapshot_date: day,
            commission_rate: p.commissionRate,
            shop_ads_commission_rate: p.shopAdsCommissionRate ?? null,
            captured_at: seenAt,
          })),
        );
        if (snapshots.length > 0) {
          await trx('affiliate_rate_snapshots')
            .insert(snapshots)
            .onConflict(['shop_id', 'kind', 'collaboration_id', 'product_id', 'snapshot_date'])
            .merge(['commission_rate', 'shop_ads_commission_rate', 'captured_at']);
        }
        for (const r of records) {
          if (r.creatorOpenIds === undefined) continue;
          const key = { shop_id: shopId, kind: r.kind, collaboration_id: r.collaborationId };
          if (r.creatorOpenIds.length > 0) {
            await trx('affiliate_collaboration_creators')
              .insert(
                r.creatorOpenIds.map((c) => ({ ...key, creator_open_id: c, status: 'active', first_seen_at: seenAt })),
              )
              .onConflict(['shop_id', 'kind', 'collaboration_id', 'creator_open_id'])
              .merge({ status: 'active', removed_at: null });
          }
          await trx('affiliate_collaboration_creators')
            .where(key)
            .where('status', 'active')
            .whereNotIn('creator_open_id', r.creatorOpenIds)
            .update({ status: 'removed', removed_at: seenAt });
        }
        return counts;
      });
    },

    /** Collaborations of `kind` a complete sync did not see (removed on TikTok) get gone_at; returns how many. */
    async markCollaborationsGone(
      shopId: string,
      kind: CollaborationKind,
      seenIds: string[],
      at: Date,
    ): Promise<number> {
      return db('affiliate_collaborations')
        .where({ shop_id: shopId, kind })
        .whereNull('gone_at')
        .whereNotIn('collaboration_id', seenIds)
        .update({ gone_at: at });
    },

    /** A creator removed from a collaboration by us (Remove Creator From Open Collaboration): recorded once. */
    async recordCreatorRemoved(
      shopId: string,
      kind: CollaborationKind,
      collaborationId: string,
      creatorOpenId: string,
      at: Date,
    ): Promise<void> {
      await db('affiliate_collaboration_creators')
        .insert({
          shop_id: shopId,
          kind,
          collaboration_id: collaborationId,
          creator_open_id: creatorOpenId,
          status: 'removed',
          first_seen_at: at,
          removed_at: at,
        })
        .onConflict(['shop_id', 'kind', 'collaboration_id', 'creator_open_id'])
        .merge({
          status: 'removed',
          removed_at: db.raw('coalesce(affiliate_collaboration_creators.removed_at, ?)', [at]),
        });
    },

    /** Creators named elsewhere (a plan's detail): inserted when new, left alone when known. */
    async ensureCreators(shopId: string, creators: CreatorRecord[], at: Date): Promise<number> {
      if (creators.length === 0) return 0;
      const rows: unknown[] = await db('affiliate_creators')
        .insert(creators.map((c) => ({ ...c, shop_id: shopId, first_seen_at: at, updated_at: at })))
        .onConflict(['shop_id', 'creator_open_id'])
        .ignore()
        .returning('creator_open_id');
      return rows.length;
    },

    async upsertCreators(shopId: string, creators: CreatorRecord[], at: Date): Promise<UpsertCounts> {
      if (creators.length === 0) return { inserted: 0, updated: 0 };
      return countedUpsert(
        db('affiliate_creators')
          .insert(creators.map((c) => ({ ...c, shop_id: shopId, first_seen_at: at, updated_at: at })))
          .onConflict(['shop_id', 'creator_open_id'])
          .merge(['username', 'nickname', 'follower_count', 'selection_region', 'updated_at'])
          .whereRaw(CREATOR_FIELDS.map((f) => `affiliate_creators.${f} is distinct from excluded.${f}`).join(' or ')),
      );
    },

    /** One performance row per creator and day; a second fetch the same day replaces it. */
    async upsertCreatorPerformance(
      shopId: string,
      creatorOpenId: string,
      perf: CreatorPerformanceRecord,
      at: Date,
    ): Promise<UpsertCounts> {
      return countedUpsert(
        db('affiliate_creator_performance')
          .insert({ ...perf, shop_id: shopId, creator_open_id: creatorOpenId, as_of_date: utcDay(at), fetched_at: at })
          .onConflict(['shop_id', 'creator_open_id', 'as_of_date'])
          .merge(),
      );
    },

    /** Stores one page of video figures for the period; a video fetched again for the same period is replaced. */
    async upsertVideoPerformance(
      shopId: string,
      period: { start: string; end: string },
      videos: VideoPerformanceRecord[],
      at: Date,
    ): Promise<UpsertCounts> {
      if (videos.length === 0) return { inserted: 0, updated: 0 };
      const fields = Object.keys(videos[0]!).filter((k) => k !== 'video_id');
      return countedUpsert(
        db('affiliate_video_performance')
          .insert(
            videos.map((v) => ({
              ...v,
              product_ids: JSON.stringify(v.product_ids),
              shop_id: shopId,
              period_start: period.start,
              period_end: period.end,
              fetched_at: at,
            })),
          )
          .onConflict(['shop_id', 'video_id', 'period_start', 'period_end'])
          .merge([...fields, 'fetched_at'])
          .whereRaw(fields.map((f) => `affiliate_video_performance.${f} is distinct from excluded.${f}`).join(' or ')),
      );
    },

    /** Views and GMV of each creator's videos over exactly this period, by username. */
    async creatorVideoTotals(shopId: string, period: { start: string; end: string }): Promise<CreatorVideoTotals[]> {
      const rows = (await db('affiliate_video_performance')
        .select('username')
        .count({ videos: '*' })
        .select(db.raw('coalesce(sum(views), 0)::text as views'), db.raw('coalesce(sum(gmv), 0)::text as gmv'))
        .where({ shop_id: shopId, period_start: period.start, period_end: period.end })
        .whereNotNull('username')
        .groupBy('username')
        .orderBy('username')) as { username: string; videos: string; views: string; gmv: string }[];
      return rows.map((r) => ({ ...r, videos: Number(r.videos) }));
    },

    /**
     * A keyset page of the shop's order lines created in [from, to), in (order_create_time, order_id, line_no)
     * order; pass the last row's key as `after` for the next page.
     */
    async orderLinesPage(q: {
      shopId: string;
      from: Date;
      to: Date;
      after?: { createTime: Date; orderId: string; lineNo: number };
      limit: number;
    }): Promise<AffiliateOrderLineRow[]> {
      const query = db<AffiliateOrderLineRow>('affiliate_order_lines')
        .where('shop_id', q.shopId)
        .where('order_create_time', '>=', q.from)
        .where('order_create_time', '<', q.to)
        .orderBy([
          { column: 'order_create_time', order: 'asc' },
          { column: 'order_id', order: 'asc' },
          { column: 'line_no', order: 'asc' },
        ])
        .limit(q.limit);
      if (q.after) {
        query.whereRaw('(order_create_time, order_id, line_no) > (?, ?, ?)', [
          q.after.createTime,
          q.after.orderId,
          q.after.lineNo,
        ]);
      }
      return query;
    },

    async countOrderLines(shopId: string): Promise<number> {
      const row = await db('affiliate_order_lines').where('shop_id', shopId).count<{ n: string }>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    async collaborations(shopId: string, kind?: CollaborationKind): Promise<AffiliateCollaborationRow[]> {
      const query = db<AffiliateCollaborationRow>('affiliate_collaborations')
        .where('shop_id', shopId)
        .orderBy(['kind', 'collaboration_id']);
      if (kind) query.where('kind', kind);
      return query;
    },

    async collaborationCreators(
      shopId: string,
      kind: CollaborationKind,
      collaborationId: string,
    ): Promise<AffiliateCollaborationCreatorRow[]> {
      return db<AffiliateCollaborationCreatorRow>('affiliate_collaboration_creators')
        .where({ shop_id: shopId, kind, collaboration_id: collaborationId })
        .orderBy('creator_open_id');
    },

    /** Rate snapshots of the shop (optionally one product), oldest day first. */
    async rateSnapshots(shopId: string, opts: { productId?: string; from?: string; to?: string } = {}) {
      const query = db('affiliate_rate_snapshots')
        .select(SNAPSHOT_COLUMNS.map((c) => db.raw(c)))
        .where('shop_id', shopId)
        .orderBy(['kind', 'collaboration_id', 'product_id', 'snapshot_date']);
      if (opts.productId) query.where('product_id', opts.productId);
      if (opts.from) query.where('snapshot_date', '>=', opts.from);
      if (opts.to) query.where('snapshot_date', '<', opts.to);
      return (await query) as AffiliateRateSnapshotRow[];
    },

    /** Usernames credited on order lines that no creator row names yet (to resolve through the marketplace). */
    async unresolvedCreatorUsernames(shopId: string): Promise<string[]> {
      const rows = (await db('affiliate_order_lines as l')
        .distinct('l.creator_username')
        .where('l.shop_id', shopId)
        .whereNotNull('l.creator_username')
        .whereNotExists(
          db('affiliate_creators as c')
            .select(db.raw('1'))
            .whereRaw('c.shop_id = l.shop_id and c.username = l.creator_username'),
        )
        .orderBy('l.creator_username')) as { creator_username: string }[];
      return rows.map((r) => r.creator_username);
    },

    /** Every creator open id the shop knows: creator rows and the creators its collaborations name. */
    async knownCreatorOpenIds(shopId: string): Promise<string[]> {
      const rows = (await db
        .select('creator_open_id')
        .from('affiliate_creators')
        .where('shop_id', shopId)
        .union((q) => q.select('creator_open_id').from('affiliate_collaboration_creators').where('shop_id', shopId))
        .orderBy('creator_open_id')) as { creator_open_id: string }[];
      return rows.map((r) => r.creator_open_id);
    },

    async creators(shopId: string): Promise<AffiliateCreatorRow[]> {
      return db<AffiliateCreatorRow>('affiliate_creators').where('shop_id', shopId).orderBy('username');
    },

    /** Each creator's newest performance row on or before `asOf` (YYYY-MM-DD; default: newest). */
    async latestCreatorPerformance(shopId: string, asOf?: string): Promise<AffiliateCreatorPerformanceRow[]> {
      const query = db('affiliate_creator_performance')
        .distinctOn('creator_open_id')
        .select(PERFORMANCE_COLUMNS.map((c) => db.raw(c)))
        .where('shop_id', shopId)
        .orderBy([
          { column: 'creator_open_id', order: 'asc' },
          { column: 'as_of_date', order: 'desc' },
        ]);
      if (asOf) query.where('as_of_date', '<=', asOf);
      return (await query) as AffiliateCreatorPerformanceRow[];
    },
  };
}

export type AffiliateRepository = ReturnType<typeof createAffiliateRepository>;
