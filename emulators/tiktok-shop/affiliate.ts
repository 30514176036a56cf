// Affiliate seller endpoints of the emulator (issue 21; ref §9.1): Search Seller Affiliate Orders, open collaborations
// (search, create, settings, remove creator — no rate update: a created open collaboration keeps its rate), target
// collaborations (search, detail, create, update with rates, remove), marketplace creators and their performance.
// Signing, envelope, rate limits and version paths are the shared pipeline's (openApi.ts); pagination tokens are
// util.ts `paginate`. Pages: https://partner.tiktokshop.com/docv2/page/<slug> with the slugs of
// integrations/tiktok/affiliate.ts.
import {
  rateAt,
  type AffiliateOrderRecord,
  type RateStep,
  type ShopVideoRecord,
  type TargetCollaborationRecord,
} from './affiliateState';
import { coded } from './errorCodes';
import type { Platform } from './platform';
import { sec } from './platform';
import type { Json } from './util';
import {
  asObject,
  asStringArray,
  inRange,
  optNumber,
  optString,
  paginate,
  paramError,
  reqString,
  sortBy,
} from './util';

const DAY_MS = 24 * 3600 * 1000;
/** Search Target Collaborations: ONGOING = more than 7 days left, EXPIRING = fewer (search-target-collaborations-202508). */
const EXPIRING_WITHIN_MS = 7 * DAY_MS;

/** [100, 8000] hundredths of a percent, i.e. 1%–80% (create-open-collaboration-202412, 16003033). */
function checkRate(v: unknown, name: string): number {
  const rate = optNumber(v);
  if (rate === undefined) throw paramError(`param body.${name} is missing`);
  if (!Number.isInteger(rate) || rate < 100 || rate > 8000)
    throw coded('commission_rate_out_of_range', 'The commission rate must be between 1% and 80%.');
  return rate;
}

/** Page size limited to listed values (target search: 20, 50, 100; marketplace creators: 12, 20). */
function listedPageSize(query: Record<string, string>, allowed: number[], required: boolean): Record<string, string> {
  if (query.page_size === undefined) {
    if (required) throw paramError('param query.page_size is missing');
    return { ...query, page_size: String(allowed[0]) };
  }
  if (!allowed.includes(Number(query.page_size)))
    throw paramError(`param query.page_size must be one of ${allowed.join(', ')}`);
  return query;
}

// ---------- affiliate orders ----------

/** Orders created up to the business now (a seeded future order appears once the clock passes it), oldest first. */
export function searchAffiliateOrders(p: Platform, shopId: string, query: Record<string, string>, body: Json): Json {
  const now = p.clock.now();
  const programId = optString(body.program_id);
  const orders = [...p.state.affiliate.orders.values()]
    .filter((o) => o.shopId === shopId && o.createTime <= now && inRange(o.createTime, body, 'create_time'))
    .filter(
      (o) =>
        !programId ||
        o.skus.some(
          (s) =>
            s.open_collaboration_id === programId ||
            s.target_collaboration_id === programId ||
            s.campaign_id === programId,
        ),
    )
    .sort((a, b) => a.createTime - b.createTime || a.id.localeCompare(b.id));
  const { page, next_page_token, total_count } = paginate(orders, query, { min: 1, max: 100 });
  return { orders: page.map(orderJson), next_page_token, total_count };
}

function orderJson(o: AffiliateOrderRecord): Json {
  return {
    id: o.id,
    status: o.status,
    create_time: sec(o.createTime),
    ...(o.deliveryTime === null ? {} : { delivery_time: sec(o.deliveryTime) }),
    skus: o.skus.map((s) => ({ ...s })),
  };
}

// ---------- open collaborations ----------

export function searchOpenCollaborations(p: Platform, shopId: string, query: Record<string, string>, body: Json): Json {
  const keywordType = optString(body.keyword_type);
  const keyword = optString(body.keyword);
  const list = [...p.state.affiliate.openCollaborations.values()]
    .filter((c) => c.shopId === shopId)
    .filter((c) => {
      if (!keyword) return true;
      if (keywordType === 'PRODUCT_ID') return c.productId === keyword;
      return c.productTitle.toLowerCase().includes(keyword.toLowerCase());
    })
    // "By default, the open collaborations are sorted in descending order by creation time."
    .sort((a, b) => b.createTime - a.createTime || b.id.localeCompare(a.id));
  const { page, next_page_token, total_count } = paginate(list, query, { min: 1, max: 100 });
  return {
    open_collaborations: page.map((c) => ({
      id: c.id,
      status: 'NORMAL',
      current_commission: { rate: c.rate.rate, start_time: sec(c.rate.fromMs) },
      showcase_creator_count: 0,
      content_creator_count: 0,
      product: { id: c.productId, title: c.productTitle, status: 'LIVE' },
    })),
    next_page_token,
    total_count,
  };
}

export function createOpenCollaboration(p: Platform, shopId: string, body: Json, productIds: string[]): Json {
  const productId = reqString(body, 'product_id');
  const rate = checkRate(body.commission_rate, 'commission_rate');
  productIds.push(productId);
  for (const c of p.state.affiliate.openCollaborations.values()) {
    if (c.shopId === shopId && c.productId === productId)
      throw coded('open_collaboration_exists', 'An open collaboration containing this product already exists');
  }
  const now = p.clock.now();
  const id = p.state.newId('73');
  p.state.affiliate.openCollaborations.set(id, {
    id,
    shopId,
    productId,
    productTitle: p.state.products.get(productId)?.title ?? `Product ${productId}`,
    createTime: now,
    rate: { rate, shopAdsRate: null, fromMs: now },
    removedCreators: new Map(),
  });
  return { open_collaboration: { id, product_id: productId, effective_time: sec(now) } };
}

export function editOpenCollaborationSettings(p: Platform, shopId: string, body: Json): Json {
  const auto = body.auto_add_product;
  if (auto !== undefined) {
    const a = asObject(auto);
    if (typeof a.enable !== 'boolean') throw paramError('param body.auto_add_product.enable is missing');
    p.state.affiliate.openSettings.set(shopId, {
      enable: a.enable,
      commissionRate: checkRate(a.commission_rate, 'auto_add_product.commission_rate'),
    });
  }
  return {};
}

/** Removing a creator twice answers success both times (the removal stands; the first time is kept). */
export function removeCreatorFromOpenCollaboration(p: Platform, shopId: string, id: string, body: Json): Json {
  const collab = p.state.affiliate.openCollaborations.get(id);
  if (!collab || collab.shopId !== shopId)
    throw coded('open_collaboration_not_found', `Open collaboration ${id} not found`);
  const creator = reqString(body, 'creator_user_open_id');
  if (reqString(body, 'product_id') !== collab.productId) throw paramError('param body.product_id is invalid');
  if (!collab.removedCreators.has(creator)) collab.removedCreators.set(creator, p.clock.now());
  return {};
}

// ---------- target collaborations ----------

function targetOf(p: Platform, shopId: string, id: string): TargetCollaborationRecord {
  const t = p.state.affiliate.targetCollaborations.get(id);
  if (!t || t.shopId !== shopId)
    throw coded('target_collaboration_not_found', 'seller cannot access this target collaboration');
  return t;
}

function targetStatus(t: TargetCollaborationRecord, now: number): 'ONGOING' | 'EXPIRING' | 'COMPLETED' {
  if (t.cancelledAt !== null || t.endTime <= now) return 'COMPLETED';
  return t.endTime - now > EXPIRING_WITHIN_MS ? 'ONGOING' : 'EXPIRING';
}

function matchesStatus(t: TargetCollaborationRecord, wanted: string, now: number): boolean {
  const s = targetStatus(t, now);
  if (wanted === 'VALID') return s !== 'COMPLETED';
  if (wanted === 'CANCELING') return false; // removal is immediate here
  return s === wanted;
}

function targetSummary(t: TargetCollaborationRecord): Json {
  return {
    id: t.id,
    name: t.name,
    start_time: sec(t.startTime),
    end_time: sec(t.endTime),
    update_time: sec(t.updateTime),
    creator_inivited_count: [...t.creators.values()].filter((s) => s === 'NORMAL').length,
    product_count: t.products.size,
    showcase_creator_count: 0,
    content_creator_count: 0,
    free_sample_rule: {
      has_free_sample: t.freeSample.hasFreeSample,
      is_sample_approval_exempt: t.freeSample.isSampleApprovalExempt,
    },
    type: 'STANDARD',
  };
}

export function searchTargetCollaborations(
  p: Platform,
  shopId: string,
  query: Record<string, string>,
  body: Json,
): Json {
  const status = reqString(body, 'collaboration_status');
  if (!['ONGOING', 'EXPIRING', 'VALID', 'CANCELING', 'COMPLETED'].includes(status))
    throw paramError('param body.collaboration_status is invalid');
  const now = p.clock.now();
  const search = body.search_param === undefined ? undefined : asObject(body.search_param);
  const keyword = search ? reqString(search, 'keyword', 'body.search_param') : undefined;
  const creator = optString(body.creator_user_open_id);
  const list = [...p.state.affiliate.targetCollaborations.values()]
    .filter((t) => t.shopId === shopId && matchesStatus(t, status, now))
    .filter((t) => !creator || t.creators.get(creator) === 'NORMAL')
    .filter((t) => {
      if (!search || !keyword) return true;
      const type = optString(search.keyword_type);
      if (type === 'PRODUCT_ID') return t.products.has(keyword);
      if (type === 'TARGET_COLLABORATION_ID') return t.id === keyword;
      return t.name.toLowerCase().includes(keyword.toLowerCase());
    })
    .sort((a, b) => b.updateTime - a.updateTime || b.id.localeCompare(a.id));
  const sized = listedPageSize(query, [20, 50, 100], false);
  const { page, next_page_token, total_count } = paginate(list, sized, { min: 1, max: 100 });
  return { target_collaborations: page.map(targetSummary), next_page_token, total_count };
}

export function getTargetCollaboration(p: Platform, shopId: string, id: string): Json {
  const t = targetOf(p, shopId, id);
  const now = p.clock.now();
  return {
    target_collaboration: {
      ...targetSummary(t),
      creator_invited_count: [...t.creators.values()].filter((s) => s === 'NORMAL').length,
      seller_contact_info: { email: t.email },
      products: [...t.products.entries()].map(([productId, steps]) => {
        const current = rateAt(steps, now);
        return {
          id: productId,
          title: p.state.products.get(productId)?.title ?? `Product ${productId}`,
          status: 'LIVE',
          commission: {
            rate: current.rate,
            ...(current.shopAdsRate === null ? {} : { shop_ads_commission_rate: current.shopAdsRate }),
            effective_time: String(sec(current.fromMs)),
          },
          commission_effective_status: 'EFFECTIVE_ALL',
          collaboration_status: 'NORMAL',
        };
      }),
      creators: [...t.creators.entries()].map(([openId, status]) => {
        const c = p.state.affiliate.creators.get(openId);
        return {
          creator_open_id: openId,
          username: c?.username,
          nickname: c?.nickname,
          selection_region: c?.region,
          collaboration_status: status,
        };
      }),
    },
  };
}

interface PlanInput {
  name: string;
  endTime: number;
  email: string;
  freeSample: { hasFreeSample: boolean; isSampleApprovalExempt: boolean };
  creators: string[];
  products: { id: string; rate: number; shopAdsRate: number | null }[];
}

/** The body of Create and Update Target Collaboration (rate field names differ: `rates` says which). */
function planInput(body: Json, rates: { rate: string; ads: string }): PlanInput {
  const name = reqString(body, 'name');
  const endTime = optNumber(body.end_time);
  if (endTime === undefined) throw paramError('param body.end_time is missing');
  const contact = asObject(body.seller_contact_info);
  const sample = asObject(body.free_sample_rule);
  if (typeof sample.has_free_sample !== 'boolean' || typeof sample.is_sample_approval_exempt !== 'boolean')
    throw paramError('param body.free_sample_rule is missing');
  const creators = asStringArray(body.creator_user_open_ids);
  if (creators.length === 0 || creators.length > 50) throw paramError('param body.creator_user_open_ids is invalid');
  const rawProducts = Array.isArray(body.products) ? body.products : [];
  if (rawProducts.length === 0 || rawProducts.length > 100) throw paramError('param body.products is invalid');
  const products = rawProducts.map((raw) => {
    const pr = asObject(raw);
    return {
      id: reqString(pr, 'id', 'body.products'),
      rate: checkRate(pr[rates.rate], `products.${rates.rate}`),
      shopAdsRate: pr[rates.ads] === undefined ? null : checkRate(pr[rates.ads], `products.${rates.ads}`),
    };
  });
  return {
    name,
    endTime: endTime * 1000,
    email: reqString(contact, 'email', 'body.seller_contact_info'),
    freeSample: { hasFreeSample: sample.has_free_sample, isSampleApprovalExempt: sample.is_sample_approval_exempt },
    creators,
    products,
  };
}

function checkCreatorsExist(p: Platform, creators: string[]): void {
  const unknown = creators.filter((c) => !p.state.affiliate.creators.has(c));
  if (unknown.length > 0)
    throw coded('creator_unavailable', 'Your invitation target contains an unavailable creator or product');
}

/** Creator × product pairs already in another valid plan of the shop (target_collaboration_conflicts). */
function conflicts(p: Platform, shopId: string, plan: PlanInput, exceptId: string | null): Json[] {
  const now = p.clock.now();
  const out: Json[] = [];
  for (const t of p.state.affiliate.targetCollaborations.values()) {
    if (t.shopId !== shopId || t.id === exceptId || targetStatus(t, now) === 'COMPLETED') continue;
    for (const creator of plan.creators) {
      if (t.creators.get(creator) !== 'NORMAL') continue;
      for (const product of plan.products) {
        if (t.products.has(product.id)) out.push({ creator_user_open_id: creator, product_id: product.id });
      }
    }
  }
  return out;
}

export function createTargetCollaboration(p: Platform, shopId: string, body: Json, productIds: string[]): Json {
  const plan = planInput(body, { rate: 'target_commission_rate', ads: 'shop_ads_commission_rate' });
  checkCreatorsExist(p, plan.creators);
  const clash = conflicts(p, shopId, plan, null);
  if (clash.length > 0) return { target_collaboration_conflicts: clash };
  const now = p.clock.now();
  const id = p.state.newId('74');
  productIds.push(...plan.products.map((pr) => pr.id));
  p.state.affiliate.targetCollaborations.set(id, {
    id,
    shopId,
    name: plan.name,
    startTime: now,
    endTime: plan.endTime,
    updateTime: now,
    email: plan.email,
    freeSample: plan.freeSample,
    products: new Map(
      plan.products.map((pr) => [pr.id, [{ rate: pr.rate, shopAdsRate: pr.shopAdsRate, fromMs: now }]]),
    ),
    creators: new Map(plan.creators.map((c) => [c, 'NORMAL' as const])),
    cancelledAt: null,
  });
  return { target_collaboration: { id }, target_collaboration_conflicts: [] };
}

/** The next 00:00 UTC after `ms` (the page says "00:00 the next day" without a time zone: UTC is our reading). */
export function nextUtcMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS;
}

/**
 * Replaces the plan. A raised rate applies at once, a lowered one from 00:00 the next day
 * (update-target-collaboration-202508); creators left out become DELETED.
 */
export function updateTargetCollaboration(
  p: Platform,
  shopId: string,
  id: string,
  body: Json,
  productIds: string[],
): Json {
  const t = targetOf(p, shopId, id);
  const now = p.clock.now();
  if (targetStatus(t, now) === 'COMPLETED')
    throw coded('target_collaboration_expired', 'target collaboration has expired');
  const plan = planInput(body, { rate: 'commission_rate', ads: 'target_ad_commission_rate' });
  checkCreatorsExist(p, plan.creators);
  const clash = conflicts(p, shopId, plan, t.id);
  if (clash.length > 0) return { target_collaboration_conflicts: clash };
  productIds.push(...plan.products.map((pr) => pr.id));
  const products = new Map<string, RateStep[]>();
  for (const pr of plan.products) {
    const steps = t.products.get(pr.id) ?? [];
    const current = steps.length > 0 ? rateAt(steps, now) : undefined;
    if (!current || current.rate !== pr.rate || current.shopAdsRate !== pr.shopAdsRate) {
      const fromMs = current && pr.rate < current.rate ? nextUtcMidnight(now) : now;
      // A change replaces any step still waiting to start.
      steps.splice(0, steps.length, ...steps.filter((s) => s.fromMs <= now));
      steps.push({ rate: pr.rate, shopAdsRate: pr.shopAdsRate, fromMs });
    }
    products.set(pr.id, steps);
  }
  t.products.clear();
  for (const [k, v] of products) t.products.set(k, v);
  for (const c of t.creators.keys()) if (!plan.creators.includes(c)) t.creators.set(c, 'DELETED');
  for (const c of plan.creators) t.creators.set(c, 'NORMAL');
  Object.assign(t, { name: plan.name, endTime: plan.endTime, email: plan.email, freeSample: plan.freeSample });
  t.updateTime = now;
  return { target_collaboration_conflicts: [] };
}

export function removeTargetCollaboration(p: Platform, shopId: string, id: string): Json {
  const t = targetOf(p, shopId, id);
  t.cancelledAt ??= p.clock.now();
  return {};
}

// ---------- marketplace creators ----------

export function searchMarketplaceCreators(
  p: Platform,
  _shopId: string,
  query: Record<string, string>,
  body: Json,
): Json {
  const keyword = optString(body.keyword)?.toLowerCase();
  const list = [...p.state.affiliate.creators.values()]
    .filter((c) => !keyword || c.username.toLowerCase().includes(keyword) || c.nickname.toLowerCase().includes(keyword))
    .sort((a, b) => a.username.localeCompare(b.username));
  const sized = listedPageSize(query, [12, 20], true);
  const { page, next_page_token } = paginate(list, sized, { min: 1, max: 20 });
  return {
    creators: page.map((c) => ({
      creator_open_id: c.openId,
      username: c.username,
      nickname: c.nickname,
      selection_region: c.region,
      follower_count: c.followerCount,
      avg_ec_video_view_count: c.performance.avgEcVideoPlayCount,
      gmv: { currency: c.performance.currency, amount: c.performance.gmv },
      video_gmv: { currency: c.performance.currency, amount: c.performance.videoGmv },
      live_gmv: { currency: c.performance.currency, amount: c.performance.liveGmv },
    })),
    next_page_token,
    // The page says to send it back on the next call; the emulator's results are stable without it.
    search_key: `sk-${keyword ?? ''}`,
  };
}

export function getCreatorPerformance(p: Platform, _shopId: string, creatorId: string): Json {
  const c = p.state.affiliate.creators.get(creatorId);
  if (!c) throw coded('creator_not_found', "The creator didn't have e-commerce permissions or has been deactivated.");
  const f = c.performance;
  const money = (amount: string) => ({ currency: f.currency, amount });
  return {
    creator: {
      username: c.username,
      nickname: c.nickname,
      selection_region: c.region,
      follower_count: c.followerCount,
      units_sold: f.unitsSold,
      gmv: money(f.gmv),
      video_gmv: money(f.videoGmv),
      live_gmv: money(f.liveGmv),
      gpm: money(f.gpm),
      video_gpm: money(f.videoGpm),
      ec_video_count: f.ecVideoCount,
      avg_ec_video_play_count: f.avgEcVideoPlayCount,
      avg_commission_rate: f.avgCommissionRate,
    },
  };
}

// ---------- analytics: shop videos ----------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Get Shop Video Performance List. Simplification (stated in the README): a video posted before `end_date_lt` is
 * listed with its totals, not the share of them that falls inside the dates; dates are read as UTC days.
 */
export function shopVideoPerformance(p: Platform, shopId: string, query: Record<string, string>): Json {
  const start = query.start_date_ge ?? '';
  const end = query.end_date_lt ?? '';
  if (!ISO_DATE.test(start) || !ISO_DATE.test(end) || start >= end)
    throw coded('analytics_dates_invalid', 'invalid request params; detail: start time or end time is invalid');
  const endMs = Date.parse(`${end}T00:00:00Z`);
  const accountType = query.account_type ?? 'ALL';
  const field = query.sort_field ?? 'gmv';
  const key = (v: ShopVideoRecord): number =>
    field === 'views'
      ? v.views
      : field === 'units_sold'
        ? v.unitsSold
        : field === 'sku_orders'
          ? v.skuOrders
          : field === 'click_through_rate'
            ? v.unitsSold / Math.max(1, v.views)
            : v.gmvCents;
  const videos = [...p.state.affiliate.videos.values()]
    .filter((v) => v.shopId === shopId && v.postTime < endMs && v.postTime <= p.clock.now())
    .filter((v) => accountType === 'ALL' || v.accountType === accountType);
  const sorted = sortBy(videos, key, query.sort_order, 'DESC');
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 1, max: 100, def: 10 });
  return {
    videos: page.map((v) => ({
      id: v.id,
      title: v.title,
      username: v.username,
      gmv: { amount: (v.gmvCents / 100).toFixed(2), currency: v.currency },
      sku_orders: v.skuOrders,
      units_sold: v.unitsSold,
      views: v.views,
      click_through_rate: (v.skuOrders / Math.max(1, v.views)).toFixed(4),
      products: v.productIds.map((id) => ({ id })),
      video_post_time: new Date(v.postTime).toISOString(),
    })),
    latest_available_date: new Date(p.clock.now() - DAY_MS).toISOString().slice(0, 10),
    next_page_token,
    total_count,
  };
}
