// Seeds a shop's affiliate data with PLANTED problems and returns the list of what it planted, built while planting
// (never by running an audit), so an audit can be checked against it: every planted problem found and nothing
// else. Everything not planted is clean by the definitions below, including lines whose refunds were handled right
// and a line after a rate cut that kept the old rate.
//
// Definitions (fields of Search Seller Affiliate Orders, https://partner.tiktokshop.com/docv2/page/search-seller-affiliate-orders-202410):
// - double attribution: one order carries the same product twice in skus[], credited to two creators;
// - affiliate + Shop Ads: a line with both `estimated/actual_paid_commission` and
//   `estimated/actual_paid_shop_ads_commission` above zero (an order through an ad that uses an affiliate post earns
//   the Shop Ads rate instead of the standard one:
//   https://ads.tiktok.com/help/article/about-setting-different-affiliate-commission-rates-for-tiktok-shop-ads);
// - commission on refunded/returned units: `actual_commission_base` above price × (quantity − refunded − returned)
//   (the page defines the actual base as price × (quantity − return/refund quantity); the estimated base is before
//   refunds by definition, so it is never a finding on its own). Seeded lines never have both quantities;
// - lowered rate before its 30 days: a line of a target collaboration whose rate was lowered carries the lower rate
//   less than 30 days after the cut (creators keep the old rate for 30 days: TikTok Shop US "How Affiliate
//   commission works", https://seller-us.tiktok.com/university/essay?knowledge_id=6077860360177451);
// - high return to origin: a creator whose shipped orders came back undelivered (refused or lost in transit:
//   status CANCELLED, no delivery_time, every unit refunded, commission reversed to 0);
// - low GMV per view: a creator whose GMV per view is far below the others', both on the marketplace (`gpm`, GMV per
//   1,000 views, Get Marketplace Creator Performance) and on the shop's own products (views and GMV of their videos,
//   Get Shop Video Performance List, https://partner.tiktokshop.com/docv2/page/get-shop-video-performance-list-202409).
import { nextUtcMidnight } from './affiliate';
import type { AffiliateOrderSkuRecord, CreatorPerformanceFigures, RateStep } from './affiliateState';
import type { Platform } from './platform';
import { AdminError } from './platform';

const DAY_MS = 24 * 3600 * 1000;
const CURRENCY = 'USD';

export type PlantedProblem =
  | {
      kind: 'double_attribution';
      orderId: string;
      productId: string;
      lineNos: number[];
      creators: string[];
      /** actual_paid_commission of each credited line */
      commissions: string[];
    }
  | {
      kind: 'affiliate_and_shop_ads';
      orderId: string;
      lineNo: number;
      creator: string;
      commission: string;
      shopAdsCommission: string;
    }
  | {
      kind: 'commission_on_refunded_units';
      orderId: string;
      lineNo: number;
      creator: string;
      refundedQuantity: number;
      returnedQuantity: number;
      /** actual_paid_commission minus the commission on the units kept */
      overpaid: string;
    }
  | {
      kind: 'lowered_rate_before_30_days';
      orderId: string;
      lineNo: number;
      creator: string;
      targetCollaborationId: string;
      productId: string;
      fromRate: number;
      toRate: number;
      loweredAt: string;
      /** What the old rate would have paid minus what the line pays. */
      underpaid: string;
      /** The order is listed once the business clock passes this instant. */
      visibleFrom: string;
    }
  | {
      kind: 'high_return_to_origin';
      creator: string;
      creatorOpenId: string;
      shippedOrders: number;
      returnedToOrigin: number;
      orderIds: string[];
    }
  | {
      kind: 'low_gmv_per_view';
      creator: string;
      creatorOpenId: string;
      /** Marketplace-wide GMV per 1,000 views (Get Marketplace Creator Performance). */
      gpm: string;
      avgVideoViews: number;
      /** The creator's videos of the shop's products (Get Shop Video Performance List): views and GMV. */
      shopVideoViews: number;
      shopVideoGmv: string;
    };

export interface AffiliateSeedResult {
  shopId: string;
  seededAt: string;
  products: Record<string, string>;
  creators: { username: string; openId: string }[];
  openCollaborationIds: string[];
  targetCollaborationIds: string[];
  orderCount: number;
  lineCount: number;
  planted: PlantedProblem[];
}

/** Cents as a decimal string. */
const money = (cents: number): string => (cents / 100).toFixed(2);
const pct = (cents: number, rate: number): number => Math.round((cents * rate) / 10000);
const amount = (cents: number) => ({ amount: money(cents), currency: CURRENCY });

interface LineSpec {
  productId: string;
  quantity: number;
  priceCents: number;
  creator: string;
  open?: string;
  target?: string;
  rate: number;
  shopAdsRate?: number;
  contentType?: string;
  refunded?: number;
  returned?: number;
  /** Planted: the actual base ignores the refunded/returned units. */
  baseIgnoresRefunds?: boolean;
}

function skuLine(s: LineSpec, contentId: string): AffiliateOrderSkuRecord {
  const refunded = s.refunded ?? 0;
  const returned = s.returned ?? 0;
  const estimatedBase = s.priceCents * s.quantity;
  const actualBase = s.baseIgnoresRefunds ? estimatedBase : s.priceCents * (s.quantity - refunded - returned);
  const ads = s.shopAdsRate ?? 0;
  return {
    product_id: s.productId,
    quantity: s.quantity,
    price: amount(s.priceCents),
    ...(s.open ? { open_collaboration_id: s.open } : {}),
    ...(s.target ? { target_collaboration_id: s.target } : {}),
    creator_username: s.creator,
    content_type: s.contentType ?? 'VIDEO',
    content_id: contentId,
    commission_model: 'FIXED',
    commission_rate: String(s.rate),
    ...(s.shopAdsRate === undefined ? {} : { shop_ads_commission_rate: String(s.shopAdsRate) }),
    estimated_commission_base: amount(estimatedBase),
    estimated_paid_commission: amount(pct(estimatedBase, s.rate)),
    estimated_paid_shop_ads_commission: amount(pct(estimatedBase, ads)),
    actual_commission_base: amount(actualBase),
    actual_paid_commission: amount(pct(actualBase, s.rate)),
    actual_paid_shop_ads_commission: amount(pct(actualBase, ads)),
    refunded_quantity: refunded,
    returned_quantity: returned,
  };
}

function perf(gmvCents: number, videoShare: number, videos: number, avgPlays: number, rate: number) {
  const videoGmv = Math.round(gmvCents * videoShare);
  const views = videos * avgPlays;
  const figures: CreatorPerformanceFigures = {
    currency: CURRENCY,
    gmv: money(gmvCents),
    videoGmv: money(videoGmv),
    liveGmv: money(gmvCents - videoGmv),
    // GMV per 1,000 views, from the same numbers (video views only: TikTok counts live views apart).
    gpm: money(Math.round((gmvCents * 1000) / views)),
    videoGpm: money(Math.round((videoGmv * 1000) / views)),
    unitsSold: Math.round(gmvCents / 2500),
    ecVideoCount: videos,
    avgEcVideoPlayCount: avgPlays,
    avgCommissionRate: rate,
  };
  return figures;
}

/**
 * Seeds affiliate data for `shopId` at the business now T: six marketplace creators, two open and two target
 * collaborations, clean orders over the 20 days before T and the planted problems. The rate cut of the first
 * target plan takes effect at the next 00:00 UTC after T; its planted lines are created a day after that, so an
 * audit sees them only after a sync before the cut (the old rate in its snapshot) and one after them.
 * `extraOrders` adds that many clean one-line orders (volume).
 */
export function seedAffiliate(p: Platform, input: { shopId: string; extraOrders?: number }): AffiliateSeedResult {
  const shop = p.state.shops.get(input.shopId);
  if (!shop) throw new AdminError(404, 'unknown shop_id');
  const a = p.state.affiliate;
  const T = p.clock.now();
  const planted: PlantedProblem[] = [];

  const productIds = {
    serum: p.state.newId('17'),
    cleanser: p.state.newId('17'),
    lamp: p.state.newId('17'),
  };

  const creatorSpecs: [string, string, CreatorPerformanceFigures][] = [
    ['ava.reviews', 'Ava Reviews', perf(520_000, 0.8, 16, 8_000, 1500)],
    ['ben.unboxes', 'Ben Unboxes', perf(410_000, 0.7, 12, 12_000, 1800)],
    ['cara.styles', 'Cara Styles', perf(300_000, 0.9, 10, 9_000, 1200)],
    // 2.5 million video views for $1,093.75: a GMV per 1,000 views of $0.44.
    ['dan.daily', 'Dan Daily', perf(109_375, 0.8, 10, 250_000, 1200)],
    ['eve.picks', 'Eve Picks', perf(610_000, 0.75, 14, 11_000, 1500)],
    ['finn.finds', 'Finn Finds', perf(350_000, 0.85, 11, 10_000, 2000)],
  ];
  const openIds = new Map<string, string>();
  for (const [username, nickname, figures] of creatorSpecs) {
    const openId = `uAC${p.state.randomToken(40)}`;
    openIds.set(username, openId);
    a.creators.set(openId, {
      openId,
      username,
      nickname,
      region: shop.region,
      followerCount: 20_000 + figures.ecVideoCount * 1_000,
      performance: figures,
    });
  }
  // Two videos per creator about the shop's products, posted 15 and 8 days before T: [views, GMV in cents] each.
  // dan's 1.25 million views sold $300 (GMV per 1,000 views $0.24; the others' are $27 to $36).
  const videoFigures: Record<string, [number, number][]> = {
    'ava.reviews': [
      [40_000, 120_000],
      [25_000, 70_000],
    ],
    'ben.unboxes': [
      [30_000, 90_000],
      [20_000, 50_000],
    ],
    'cara.styles': [
      [20_000, 60_000],
      [18_000, 45_000],
    ],
    'dan.daily': [
      [700_000, 18_000],
      [550_000, 12_000],
    ],
    'eve.picks': [
      [35_000, 130_000],
      [30_000, 100_000],
    ],
    'finn.finds': [
      [22_000, 80_000],
      [15_000, 40_000],
    ],
  };
  const video = (
    username: string,
    accountType: 'AFFILIATES' | 'LINKED_ACCOUNTS',
    daysBefore: number,
    views: number,
    gmvCents: number,
  ) => {
    const id = p.state.newId('75');
    const orders = Math.round(gmvCents / 2500);
    a.videos.set(id, {
      id,
      shopId: shop.id,
      title: `${username} on the serum`,
      username,
      accountType,
      postTime: T - daysBefore * DAY_MS,
      gmvCents,
      currency: CURRENCY,
      skuOrders: orders,
      unitsSold: orders,
      views,
      productIds: [productIds.serum],
    });
  };
  for (const [username, figures] of Object.entries(videoFigures)) {
    figures.forEach(([views, gmv], i) => video(username, 'AFFILIATES', i === 0 ? 15 : 8, views, gmv));
  }
  video('shop.official', 'LINKED_ACCOUNTS', 10, 9_000, 20_000);

  const dan = creatorSpecs[3]![2];
  const danVideos = videoFigures['dan.daily']!;
  planted.push({
    kind: 'low_gmv_per_view',
    creator: 'dan.daily',
    creatorOpenId: openIds.get('dan.daily')!,
    gpm: dan.gpm,
    avgVideoViews: dan.avgEcVideoPlayCount,
    shopVideoViews: danVideos.reduce((n, [views]) => n + views, 0),
    shopVideoGmv: money(danVideos.reduce((n, [, gmv]) => n + gmv, 0)),
  });

  // Open collaborations: one product each, one rate for good.
  const openSerum = p.state.newId('73');
  const openCleanser = p.state.newId('73');
  for (const [id, productId, title, rate] of [
    [openSerum, productIds.serum, 'Vitamin C Serum', 1500],
    [openCleanser, productIds.cleanser, 'Foaming Cleanser', 1200],
  ] as const) {
    a.openCollaborations.set(id, {
      id,
      shopId: shop.id,
      productId,
      productTitle: title,
      createTime: T - 40 * DAY_MS,
      rate: { rate, shopAdsRate: null, fromMs: T - 40 * DAY_MS },
      removedCreators: new Map(),
    });
  }

  // Target plans: the lamp plan's rate drops from 20% to 10% at the next 00:00 UTC; the serum plan pays 18% and
  // 10% on Shop Ads.
  const loweredAt = nextUtcMidnight(T);
  const lampPlan = p.state.newId('74');
  const serumPlan = p.state.newId('74');
  const plan = (id: string, name: string, products: [string, RateStep[]][], creators: string[]) =>
    a.targetCollaborations.set(id, {
      id,
      shopId: shop.id,
      name,
      startTime: T - 40 * DAY_MS,
      endTime: T + 60 * DAY_MS,
      updateTime: T - 40 * DAY_MS,
      email: 'affiliates@example.com',
      freeSample: { hasFreeSample: true, isSampleApprovalExempt: false },
      products: new Map(products),
      creators: new Map(creators.map((c) => [openIds.get(c)!, 'NORMAL' as const])),
      cancelledAt: null,
    });
  plan(
    lampPlan,
    'Desk lamp launch',
    [
      [
        productIds.lamp,
        [
          { rate: 2000, shopAdsRate: null, fromMs: T - 40 * DAY_MS },
          { rate: 1000, shopAdsRate: null, fromMs: loweredAt },
        ],
      ],
    ],
    ['finn.finds', 'cara.styles'],
  );
  plan(
    serumPlan,
    'Serum creators',
    [[productIds.serum, [{ rate: 1800, shopAdsRate: 1000, fromMs: T - 40 * DAY_MS }]]],
    ['ben.unboxes'],
  );

  let orderCount = 0;
  let lineCount = 0;
  const order = (createTime: number, lines: LineSpec[], opts: { rto?: boolean } = {}): string => {
    const id = p.state.newId('58');
    const delivered = !opts.rto && createTime + 3 * DAY_MS <= T;
    a.orders.set(id, {
      id,
      shopId: shop.id,
      status: opts.rto ? 'CANCELLED' : delivered ? 'COMPLETED' : 'PROCESSING',
      createTime,
      deliveryTime: delivered ? createTime + 3 * DAY_MS : null,
      skus: lines.map((l) => skuLine(l, p.state.newId('74'))),
    });
    orderCount += 1;
    lineCount += lines.length;
    return id;
  };
  const at = (daysBefore: number) => T - daysBefore * DAY_MS;
  const serumOpen = (creator: string, extra: Partial<LineSpec> = {}): LineSpec => ({
    productId: productIds.serum,
    quantity: 1,
    priceCents: 2_999,
    creator,
    open: openSerum,
    rate: 1500,
    ...extra,
  });
  const cleanserOpen = (creator: string, extra: Partial<LineSpec> = {}): LineSpec => ({
    productId: productIds.cleanser,
    quantity: 1,
    priceCents: 1_850,
    creator,
    open: openCleanser,
    rate: 1200,
    ...extra,
  });
  const lampTarget = (rate: number): LineSpec => ({
    productId: productIds.lamp,
    quantity: 1,
    priceCents: 4_500,
    creator: 'finn.finds',
    target: lampPlan,
    rate,
  });

  // ---- clean orders, including refunds handled right (the actual base leaves the units out)
  for (let i = 0; i < 6; i++) {
    order(at(19 - i), [serumOpen('ava.reviews', { quantity: 1 + (i % 2) })]);
    order(at(18.5 - i), [serumOpen('eve.picks', { contentType: i % 2 ? 'LIVE' : 'VIDEO' })]);
    order(at(18 - i), [{ ...serumOpen('ben.unboxes'), open: undefined, target: serumPlan, rate: 1800 }]);
  }
  order(at(12), [serumOpen('ava.reviews', { quantity: 2, refunded: 1 })]);
  order(at(11), [cleanserOpen('eve.picks', { quantity: 3, returned: 2 })]);
  for (let i = 0; i < 3; i++) order(at(10 - i), [cleanserOpen('dan.daily')]);
  for (let i = 0; i < 4; i++) order(at(10 - i * 2), [lampTarget(2000)]);

  // ---- high return to origin: 4 of cara's 10 shipped orders came back undelivered
  const rtoOrders: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rto = i % 3 === 0 && rtoOrders.length < 4;
    const line = cleanserOpen('cara.styles', rto ? { refunded: 1 } : {});
    const id = order(at(16 - i), [line], { rto });
    if (rto) rtoOrders.push(id);
  }
  planted.push({
    kind: 'high_return_to_origin',
    creator: 'cara.styles',
    creatorOpenId: openIds.get('cara.styles')!,
    shippedOrders: 10,
    returnedToOrigin: rtoOrders.length,
    orderIds: rtoOrders,
  });

  // ---- double attribution: the serum credited to ava (open plan) and to ben (target plan) in one order
  const doubleLines = [
    serumOpen('ava.reviews'),
    { ...serumOpen('ben.unboxes', { contentType: 'LIVE' }), open: undefined, target: serumPlan, rate: 1800 },
  ];
  const doubleOrder = order(at(9), doubleLines);
  planted.push({
    kind: 'double_attribution',
    orderId: doubleOrder,
    productId: productIds.serum,
    lineNos: [0, 1],
    creators: ['ava.reviews', 'ben.unboxes'],
    commissions: doubleLines.map((l) => money(pct(l.priceCents * l.quantity, l.rate))),
  });

  // ---- affiliate and Shop Ads commission on the same line (ben's video run as a Shop Ad)
  for (const daysBefore of [8, 5]) {
    const line: LineSpec = {
      ...serumOpen('ben.unboxes'),
      open: undefined,
      target: serumPlan,
      rate: 1800,
      shopAdsRate: 1000,
    };
    const id = order(at(daysBefore), [line]);
    planted.push({
      kind: 'affiliate_and_shop_ads',
      orderId: id,
      lineNo: 0,
      creator: 'ben.unboxes',
      commission: money(pct(line.priceCents, 1800)),
      shopAdsCommission: money(pct(line.priceCents, 1000)),
    });
  }

  // ---- commission paid on refunded / returned units
  for (const [daysBefore, line] of [
    [7, serumOpen('ava.reviews', { quantity: 2, refunded: 1, baseIgnoresRefunds: true })],
    [6, cleanserOpen('eve.picks', { quantity: 3, returned: 1, baseIgnoresRefunds: true })],
  ] as const) {
    const id = order(at(daysBefore), [line]);
    const back = (line.refunded ?? 0) + (line.returned ?? 0);
    planted.push({
      kind: 'commission_on_refunded_units',
      orderId: id,
      lineNo: 0,
      creator: line.creator,
      refundedQuantity: line.refunded ?? 0,
      returnedQuantity: line.returned ?? 0,
      overpaid: money(
        pct(line.priceCents * line.quantity, line.rate) - pct(line.priceCents * (line.quantity - back), line.rate),
      ),
    });
  }

  // ---- the lamp's rate cut applied before its 30 days (two lines), and one line after the cut that kept 20%
  for (const [afterCut, rate] of [
    [1, 1000],
    [1.25, 2000],
    [1.5, 1000],
  ] as const) {
    const createTime = loweredAt + afterCut * DAY_MS;
    const line = lampTarget(rate);
    const id = order(createTime, [line]);
    if (rate === 2000) continue;
    planted.push({
      kind: 'lowered_rate_before_30_days',
      orderId: id,
      lineNo: 0,
      creator: line.creator,
      targetCollaborationId: lampPlan,
      productId: productIds.lamp,
      fromRate: 2000,
      toRate: 1000,
      loweredAt: new Date(loweredAt).toISOString(),
      underpaid: money(pct(line.priceCents, 2000) - pct(line.priceCents, 1000)),
      visibleFrom: new Date(createTime).toISOString(),
    });
  }

  // ---- volume: clean one-line orders over the 20 days before T
  const extra = input.extraOrders ?? 0;
  const volumeCreators = ['ava.reviews', 'eve.picks'];
  for (let i = 0; i < extra; i++) {
    order(at(20 - (20 * i) / Math.max(1, extra)), [serumOpen(volumeCreators[i % 2]!)]);
  }

  return {
    shopId: shop.id,
    seededAt: new Date(T).toISOString(),
    products: productIds,
    creators: [...openIds].map(([username, openId]) => ({ username, openId })),
    openCollaborationIds: [openSerum, openCleanser],
    targetCollaborationIds: [lampPlan, serumPlan],
    orderCount,
    lineCount,
    planted,
  };
}
