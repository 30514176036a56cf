// The affiliate sync (issue 21): pages through the affiliate seller endpoints under the shop's rate budget (every
// call goes through the TikTok client, integrations/tiktok/client.ts) and upserts into the tables of
// db/affiliate.ts. Each activity returns counts only: order lines are bulk data and never enter a workflow's
// history. Every step is an upsert keyed by TikTok's ids, so a re-run (or a retried attempt) writes nothing new.
import { activityInfo } from '@temporalio/activity';
import {
  createAffiliateRepository,
  type AffiliateOrderLineRecord,
  type CollaborationRecord,
  type CreatorPerformanceRecord,
  type VideoPerformanceRecord,
  type UpsertCounts,
} from '../../db/affiliate';
import type { Db } from '../../db/knex';
import { heartbeatCheckpoint } from '../../integrations/tiktok/activityHooks';
import {
  affiliateEndpoints,
  affiliateOrderPages,
  affiliateVideoPages,
  findCreatorByUsername,
  openCollaborationPages,
  targetCollaborationPages,
  type AffiliateOrder,
  type CreatorPerformance,
  type ShopVideoPerformance,
} from '../../integrations/tiktok/affiliate';
import type { TikTokClient } from '../../integrations/tiktok/client';
import { callEndpoint } from '../../integrations/tiktok/endpoint';
import { isTikTokFailure, TikTokNotFound } from '../../integrations/tiktok/errors';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';

export interface AffiliateSyncDeps {
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  /** The sync's "today" (rate snapshots and performance rows are per UTC day); tests pass the emulator's clock. */
  now?: () => Date;
}

export interface OrderSyncCounts extends UpsertCounts {
  pages: number;
  orders: number;
  lines: number;
}

export interface CollaborationSyncCounts {
  open: number;
  target: number;
  inserted: number;
  updated: number;
  /** Rate snapshot rows written for today (one per collaboration × product). */
  snapshots: number;
  /** Collaborations TikTok no longer lists. */
  gone: number;
}

export interface VideoSyncCounts extends UpsertCounts {
  pages: number;
  videos: number;
}

export interface CreatorSyncCounts extends UpsertCounts {
  /** Performance rows written for today. */
  performance: number;
  /** Usernames on order lines the marketplace search did not find. */
  unresolved: number;
}

const money = (m: { amount?: string } | undefined): string | null => m?.amount ?? null;
const seconds = (s: number | undefined): Date | null => (s === undefined ? null : new Date(s * 1000));

/** One row per entry of skus[], keyed by its position (the entries have no id of their own). */
export function orderLineRecords(order: AffiliateOrder): AffiliateOrderLineRecord[] {
  return order.skus.map((s, lineNo) => ({
    order_id: order.id,
    line_no: lineNo,
    order_status: order.status,
    order_create_time: new Date(order.create_time * 1000),
    delivery_time: seconds(order.delivery_time),
    product_id: s.product_id,
    quantity: s.quantity,
    price_amount: money(s.price),
    currency: s.price?.currency ?? s.estimated_commission_base?.currency ?? null,
    open_collaboration_id: s.open_collaboration_id || null,
    target_collaboration_id: s.target_collaboration_id || null,
    campaign_id: s.campaign_id || null,
    creator_username: s.creator_username || null,
    content_type: s.content_type ?? null,
    content_id: s.content_id ?? null,
    commission_model: s.commission_model ?? null,
    commission_tier_setting: s.commission_tier_setting ?? null,
    commission_rate: s.commission_rate ?? null,
    shop_ads_commission_rate: s.shop_ads_commission_rate ?? null,
    estimated_commission_base: money(s.estimated_commission_base),
    estimated_paid_commission: money(s.estimated_paid_commission),
    estimated_paid_shop_ads_commission: money(s.estimated_paid_shop_ads_commission),
    actual_commission_base: money(s.actual_commission_base),
    actual_paid_commission: money(s.actual_paid_commission),
    actual_paid_shop_ads_commission: money(s.actual_paid_shop_ads_commission),
    estimated_cofunded_creator_bonus: money(s.estimated_cofunded_creator_bonus_amount),
    actual_cofunded_creator_bonus: money(s.actual_cofunded_creator_bonus_amount),
    refunded_quantity: s.refunded_quantity ?? 0,
    returned_quantity: s.returned_quantity ?? 0,
  }));
}

function performanceRecord(c: CreatorPerformance): CreatorPerformanceRecord {
  return {
    currency: c.gmv?.currency ?? c.gpm?.currency ?? null,
    gmv: money(c.gmv),
    video_gmv: money(c.video_gmv),
    live_gmv: money(c.live_gmv),
    gpm: money(c.gpm),
    video_gpm: money(c.video_gpm),
    units_sold: c.units_sold ?? null,
    ec_video_count: c.ec_video_count ?? null,
    avg_ec_video_play_count: c.avg_ec_video_play_count ?? null,
    avg_commission_rate: c.avg_commission_rate ?? null,
    follower_count: c.follower_count ?? null,
  };
}

function videoRecord(v: ShopVideoPerformance): VideoPerformanceRecord {
  const posted = v.video_post_time ? new Date(v.video_post_time) : null;
  return {
    video_id: v.id,
    username: v.username ?? null,
    title: v.title ?? null,
    posted_at: posted && !Number.isNaN(posted.getTime()) ? posted : null,
    currency: v.gmv?.currency ?? null,
    gmv: money(v.gmv),
    sku_orders: v.sku_orders ?? null,
    units_sold: v.units_sold ?? null,
    views: v.views ?? null,
    click_through_rate: v.click_through_rate ?? null,
    product_ids: v.products.map((p) => p.id),
  };
}

/** Where a retried order sync resumes: the page after the last one stored, and the counts so far. */
interface OrderCheckpoint {
  from: string;
  to: string;
  pageToken: string;
  counts: OrderSyncCounts;
}

function resumeFrom(input: { from: string; to: string }): OrderCheckpoint | undefined {
  let details: unknown;
  try {
    details = activityInfo().heartbeatDetails;
  } catch {
    return undefined; // not inside an activity
  }
  const c = details as Partial<OrderCheckpoint> | undefined;
  return c && c.from === input.from && c.to === input.to && typeof c.pageToken === 'string'
    ? (c as OrderCheckpoint)
    : undefined;
}

export function createAffiliateSyncActivities(deps: AffiliateSyncDeps) {
  const repo = createAffiliateRepository(deps.db);
  const now = deps.now ?? (() => new Date());
  const client = deps.tiktok.client;

  return {
    /**
     * Search Seller Affiliate Orders created in [from, to) (ISO instants), every page, each stored before the next is
     * asked for; a retried attempt resumes after the last page stored (heartbeat checkpoint).
     */
    async syncAffiliateOrders(input: { shopId: string; from: string; to: string }): Promise<OrderSyncCounts> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const resumed = resumeFrom(input);
      const counts: OrderSyncCounts = resumed?.counts ?? { pages: 0, orders: 0, lines: 0, inserted: 0, updated: 0 };
      const pages = affiliateOrderPages(client, shop, {
        from: new Date(input.from),
        to: new Date(input.to),
        ...(resumed ? { pageToken: resumed.pageToken } : {}),
      });
      for await (const page of pages) {
        const lines = page.orders.flatMap(orderLineRecords);
        const written = await repo.upsertOrderLines(input.shopId, lines);
        counts.pages += 1;
        counts.orders += page.orders.length;
        counts.lines += lines.length;
        counts.inserted += written.inserted;
        counts.updated += written.updated;
        if (page.next_page_token) heartbeatCheckpoint({ ...input, pageToken: page.next_page_token, counts });
      }
      return counts;
    },

    /**
     * Open collaborations (Search Open Collaboration) and valid target collaborations (Search Target Collaborations,
     * then each one's detail for its products, rates and creators), stored with today's rate snapshot; those TikTok
     * no longer lists are marked gone.
     */
    async syncAffiliateCollaborations(input: { shopId: string }): Promise<CollaborationSyncCounts> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const at = now();
      const counts: CollaborationSyncCounts = { open: 0, target: 0, inserted: 0, updated: 0, snapshots: 0, gone: 0 };
      const store = async (records: CollaborationRecord[]) => {
        const written = await repo.upsertCollaborations(input.shopId, records, at);
        counts.inserted += written.inserted;
        counts.updated += written.updated;
        counts.snapshots += records.reduce((n, r) => n + r.products.length, 0);
      };

      const openIds: string[] = [];
      for await (const page of openCollaborationPages(client, shop)) {
        const records: CollaborationRecord[] = page.open_collaborations.map((c) => ({
          kind: 'open',
          collaborationId: c.id,
          status: c.status,
          ...(c.current_commission?.start_time
            ? { effectiveTime: new Date(c.current_commission.start_time * 1000) }
            : {}),
          ...(c.current_commission?.end_time ? { endTime: new Date(c.current_commission.end_time * 1000) } : {}),
          products:
            c.product && c.current_commission?.rate !== undefined
              ? [{ productId: c.product.id, commissionRate: c.current_commission.rate }]
              : [],
        }));
        openIds.push(...records.map((r) => r.collaborationId));
        counts.open += records.length;
        await store(records);
      }

      const targetIds: string[] = [];
      for await (const page of targetCollaborationPages(client, shop, 'VALID')) {
        const records: CollaborationRecord[] = [];
        for (const summary of page.target_collaborations) {
          const detail = await callEndpoint(client, affiliateEndpoints.getTargetCollaboration, shop, {
            target_collaboration_id: summary.id,
          }).catch((err: unknown) => {
            // Removed between the search and the detail: the next sync no longer lists it.
            if (isTikTokFailure(err, TikTokNotFound.FAILURE_TYPE)) return undefined;
            throw err;
          });
          if (!detail) continue;
          records.push({
            kind: 'target',
            collaborationId: detail.id,
            name: detail.name,
            status: 'VALID',
            ...(detail.start_time ? { effectiveTime: new Date(detail.start_time * 1000) } : {}),
            ...(detail.end_time ? { endTime: new Date(detail.end_time * 1000) } : {}),
            products: detail.products
              .filter((p) => p.collaboration_status !== 'DELETED' && p.commission?.rate !== undefined)
              .map((p) => ({
                productId: p.id,
                commissionRate: p.commission!.rate!,
                ...(p.commission?.shop_ads_commission_rate === undefined
                  ? {}
                  : { shopAdsCommissionRate: p.commission.shop_ads_commission_rate }),
              })),
            creatorOpenIds: detail.creators
              .filter((c) => c.creator_open_id && c.collaboration_status !== 'DELETED')
              .map((c) => c.creator_open_id!),
          });
          // The plan's creators, so the creator sync can fetch their performance.
          await repo.ensureCreators(
            input.shopId,
            detail.creators
              .filter((c) => c.creator_open_id && c.username)
              .map((c) => ({
                creator_open_id: c.creator_open_id!,
                username: c.username!,
                nickname: c.nickname ?? null,
                follower_count: null,
                selection_region: c.selection_region ?? null,
              })),
            at,
          );
        }
        targetIds.push(...records.map((r) => r.collaborationId));
        counts.target += records.length;
        await store(records);
      }

      counts.gone += await repo.markCollaborationsGone(input.shopId, 'open', openIds, at);
      counts.gone += await repo.markCollaborationsGone(input.shopId, 'target', targetIds, at);
      return counts;
    },

    /**
     * Get Shop Video Performance List for affiliates' videos over [startDate, endDate) (YYYY-MM-DD, the shop's
     * dates), every page: the views and GMV of each creator's videos of the shop's products.
     */
    async syncAffiliateVideos(input: { shopId: string; startDate: string; endDate: string }): Promise<VideoSyncCounts> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const at = now();
      const counts: VideoSyncCounts = { pages: 0, videos: 0, inserted: 0, updated: 0 };
      const period = { start: input.startDate, end: input.endDate };
      for await (const page of affiliateVideoPages(client, shop, input)) {
        const written = await repo.upsertVideoPerformance(input.shopId, period, page.videos.map(videoRecord), at);
        counts.pages += 1;
        counts.videos += page.videos.length;
        counts.inserted += written.inserted;
        counts.updated += written.updated;
      }
      return counts;
    },

    /**
     * Creators credited on order lines (found by username on the marketplace) and those the shop's plans name, with
     * today's Get Marketplace Creator Performance.
     */
    async syncAffiliateCreators(input: { shopId: string }): Promise<CreatorSyncCounts> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const at = now();
      const counts: CreatorSyncCounts = { inserted: 0, updated: 0, performance: 0, unresolved: 0 };
      for (const username of await repo.unresolvedCreatorUsernames(input.shopId)) {
        const found = await findCreatorByUsername(client, shop, username);
        if (!found?.creator_open_id) {
          counts.unresolved += 1;
          continue;
        }
        await repo.upsertCreators(
          input.shopId,
          [
            {
              creator_open_id: found.creator_open_id,
              username,
              nickname: found.nickname ?? null,
              follower_count: found.follower_count ?? null,
              selection_region: found.selection_region ?? null,
            },
          ],
          at,
        );
      }
      for (const openId of await repo.knownCreatorOpenIds(input.shopId)) {
        const perf = await callEndpoint(client, affiliateEndpoints.getCreatorPerformance, shop, {
          creator_user_id: openId,
        }).catch((err: unknown) => {
          // Deactivated or without e-commerce permission: no figures today.
          if (isTikTokFailure(err, TikTokNotFound.FAILURE_TYPE)) return undefined;
          throw err;
        });
        if (!perf) continue;
        if (perf.username) {
          const written = await repo.upsertCreators(
            input.shopId,
            [
              {
                creator_open_id: openId,
                username: perf.username,
                nickname: perf.nickname ?? null,
                follower_count: perf.follower_count ?? null,
                selection_region: perf.selection_region ?? null,
              },
            ],
            at,
          );
          counts.inserted += written.inserted;
          counts.updated += written.updated;
        }
        await repo.upsertCreatorPerformance(input.shopId, openId, performanceRecord(perf), at);
        counts.performance += 1;
      }
      return counts;
    },
  };
}

export type AffiliateSyncActivities = ReturnType<typeof createAffiliateSyncActivities>;
