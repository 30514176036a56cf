// Affiliate seller family (issue 21): affiliate orders with their commission fields, open and target
// collaborations, marketplace creators and their performance. Every path is under /affiliate_seller/<version> and
// takes shop_cipher (reference §9.1, Appendix A). Sources per endpoint: docs/tiktok-shop-api-sources.md.
// Rates are integers in hundredths of a percent (1550 = 15.50%) on every page of this family.
import { z } from 'zod';
import type { TikTokClient } from './client';
import {
  emptyDataSchema,
  idSchema,
  moneySchema,
  pageOutSchema,
  pageQuery,
  unixSecondsSchema,
  type CallOptions,
  type ShopRef,
} from './common';
import { callEndpoint, defineEndpoint, docsPage } from './endpoint';
import { TikTokInvalidRequest, TikTokNotFound, TikTokStateConflict } from './errors';

/**
 * A rate as the pages give it: Search Seller Affiliate Orders types `commission_rate` and
 * `shop_ads_commission_rate` as strings ("1000"), the collaboration pages as ints; both become numbers.
 */
const rateSchema = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => Number(v));

/** Unix seconds, which Create/Update Target Collaboration type as a string (`end_time`). */
const unixSecondsText = z.union([unixSecondsSchema, z.string().regex(/^\d+$/)]).transform((v) => Number(v));

// ---------- Search Seller Affiliate Orders ----------

/** One entry of an affiliate order's skus[] (no id of its own: it is known by its position). */
export const affiliateOrderSkuSchema = z.looseObject({
  product_id: idSchema,
  quantity: z.number().int().nonnegative(),
  price: moneySchema.optional(),
  open_collaboration_id: z.string().optional(),
  target_collaboration_id: z.string().optional(),
  campaign_id: z.string().optional(),
  creator_username: z.string().optional(),
  content_type: z.string().optional(), // SHOP | VIDEO | LIVE | PRE_LIVE | PROMOTION_PAGE | LINKSHARE
  content_id: z.string().optional(),
  commission_model: z.string().optional(),
  commission_tier_setting: z.string().optional(),
  commission_rate: rateSchema.optional(),
  shop_ads_commission_rate: rateSchema.optional(),
  /** selling price × quantity, before refunds */
  estimated_commission_base: moneySchema.optional(),
  /** estimated base × commission_rate */
  estimated_paid_commission: moneySchema.optional(),
  /** estimated base × shop_ads_commission_rate */
  estimated_paid_shop_ads_commission: moneySchema.optional(),
  /** selling price × (quantity − return/refund quantity) */
  actual_commission_base: moneySchema.optional(),
  actual_paid_commission: moneySchema.optional(),
  actual_paid_shop_ads_commission: moneySchema.optional(),
  refunded_quantity: z.number().int().nonnegative().optional(),
  returned_quantity: z.number().int().nonnegative().optional(),
  estimated_cofunded_creator_bonus_amount: moneySchema.optional(),
  actual_cofunded_creator_bonus_amount: moneySchema.optional(),
});
export type AffiliateOrderSku = z.output<typeof affiliateOrderSkuSchema>;

export const affiliateOrderSchema = z.looseObject({
  id: idSchema,
  status: z.string(), // PROCESSING | COMPLETED | CANCELLED | FROZEN | DEDUCTED
  create_time: unixSecondsSchema,
  delivery_time: unixSecondsSchema.optional(),
  skus: z.array(affiliateOrderSkuSchema).optional().default([]),
});
export type AffiliateOrder = z.output<typeof affiliateOrderSchema>;

// ---------- collaborations ----------

export const openCollaborationSchema = z.looseObject({
  id: idSchema,
  status: z.string().optional(), // NORMAL | TERMINATING
  current_commission: z
    .looseObject({
      rate: rateSchema.optional(),
      start_time: unixSecondsSchema.optional(),
      end_time: unixSecondsSchema.optional(),
    })
    .optional(),
  showcase_creator_count: z.number().int().optional(),
  content_creator_count: z.number().int().optional(),
  product: z.looseObject({ id: idSchema, title: z.string().optional(), status: z.string().optional() }).optional(),
});
export type OpenCollaboration = z.output<typeof openCollaborationSchema>;

/** Who a creator is, as the target plan detail and the marketplace search both give it. */
const creatorIdentity = {
  creator_open_id: z.string().optional(),
  username: z.string().optional(),
  nickname: z.string().optional(),
  selection_region: z.string().optional(),
};

const freeSampleRuleSchema = z.looseObject({
  has_free_sample: z.boolean().optional(),
  is_sample_approval_exempt: z.boolean().optional(),
});

/** Search Target Collaborations lists plans without products or creators; Query Target Collaboration Detail has them. */
export const targetCollaborationSummarySchema = z.looseObject({
  id: idSchema,
  name: z.string().optional(),
  start_time: unixSecondsSchema.optional(),
  end_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
  product_count: z.number().int().optional(),
  free_sample_rule: freeSampleRuleSchema.optional(),
  type: z.string().optional(), // STANDARD | TOP_CREATOR_PROGRAM
});

export const targetCollaborationDetailSchema = targetCollaborationSummarySchema.extend({
  products: z
    .array(
      z.looseObject({
        id: idSchema,
        title: z.string().optional(),
        status: z.string().optional(),
        commission: z
          .looseObject({
            rate: rateSchema.optional(),
            shop_ads_commission_rate: rateSchema.optional(),
            effective_time: unixSecondsText.optional(),
          })
          .optional(),
        collaboration_status: z.string().optional(), // NORMAL | DELETING | DELETED
      }),
    )
    .optional()
    .default([]),
  creators: z
    .array(
      z.looseObject({
        ...creatorIdentity,
        collaboration_status: z.string().optional(), // NORMAL | DELETING | DELETED
      }),
    )
    .optional()
    .default([]),
});
export type TargetCollaborationDetail = z.output<typeof targetCollaborationDetailSchema>;

/** Per-creator/per-product refusals of Create and Update Target Collaboration (inside a successful envelope). */
const conflictsSchema = z
  .array(z.looseObject({ creator_user_open_id: z.string().optional(), product_id: z.string().optional() }))
  .optional()
  .default([]);

/** The body of Create and Update Target Collaboration (the update replaces the plan's products and creators). */
const targetPlanFields = {
  name: z.string().min(1),
  end_time: unixSecondsText,
  creator_user_open_ids: z.array(z.string().min(1)).min(1).max(50),
  seller_contact_info: z.strictObject({ email: z.string().min(1) }),
  free_sample_rule: z.strictObject({ has_free_sample: z.boolean(), is_sample_approval_exempt: z.boolean() }),
};

/** 1%–80% (the pages give [100, 8000]; error 16003033 outside). */
const commissionRateInput = z.number().int().min(100).max(8000);

// ---------- marketplace creators ----------

export const marketplaceCreatorSchema = z.looseObject({
  ...creatorIdentity,
  follower_count: z.number().int().optional(),
  avg_ec_video_view_count: z.number().int().optional(),
  gmv: moneySchema.optional(),
  video_gmv: moneySchema.optional(),
  live_gmv: moneySchema.optional(),
});
export type MarketplaceCreator = z.output<typeof marketplaceCreatorSchema>;

/** Get Marketplace Creator Performance: the creator's last 30 days. Precise figures are absent without consent. */
export const creatorPerformanceSchema = z.looseObject({
  username: z.string().optional(),
  nickname: z.string().optional(),
  selection_region: z.string().optional(),
  follower_count: z.number().int().optional(),
  units_sold: z.number().int().optional(),
  gmv: moneySchema.optional(),
  video_gmv: moneySchema.optional(),
  live_gmv: moneySchema.optional(),
  /** GMV per mille: GMV per 1,000 views */
  gpm: moneySchema.optional(),
  video_gpm: moneySchema.optional(),
  live_gpm: moneySchema.optional(),
  ec_video_count: z.number().int().optional(),
  ec_live_count: z.number().int().optional(),
  avg_ec_video_play_count: z.number().int().optional(),
  avg_commission_rate: rateSchema.optional(),
  ec_video_engagement_rate: rateSchema.optional(),
});
export type CreatorPerformance = z.output<typeof creatorPerformanceSchema>;

/** Get Shop Video Performance List: a video promoting the shop's products, over the requested dates. */
export const shopVideoPerformanceSchema = z.looseObject({
  id: idSchema,
  title: z.string().optional(),
  username: z.string().optional(),
  gmv: moneySchema.optional(),
  sku_orders: z.number().int().optional(),
  units_sold: z.number().int().optional(),
  views: z.number().int().optional(),
  click_through_rate: z.string().optional(),
  products: z
    .array(z.looseObject({ id: idSchema, name: z.string().optional() }))
    .optional()
    .default([]),
  video_post_time: z.string().optional(),
});
export type ShopVideoPerformance = z.output<typeof shopVideoPerformanceSchema>;

/** YYYY-MM-DD in the shop's time zone (the analytics pages). */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const openCollaborationPath = { params: z.strictObject({ open_collaboration_id: idSchema }) };
const targetCollaborationPath = { params: z.strictObject({ target_collaboration_id: idSchema }) };

export const affiliateEndpoints = {
  searchAffiliateOrders: defineEndpoint({
    title: 'Search Seller Affiliate Orders',
    docs: docsPage('search-seller-affiliate-orders-202410'),
    method: 'POST',
    path: '/affiliate_seller/202410/orders/search',
    shopCipher: true,
    // page_size is required (1–100); the page calls 20 the default.
    query: z.strictObject(pageQuery({ max: 100, default: 20 })),
    body: z.strictObject({
      create_time_ge: unixSecondsSchema.optional(),
      create_time_lt: unixSecondsSchema.optional(),
      program_id: z.string().min(1).optional(),
    }),
    response: z.looseObject({ ...pageOutSchema, orders: z.array(affiliateOrderSchema).optional().default([]) }),
  }),

  searchOpenCollaborations: defineEndpoint({
    title: 'Search Open Collaboration',
    docs: docsPage('search-open-collaboration-202412'),
    method: 'POST',
    path: '/affiliate_seller/202412/open_collaborations/search',
    shopCipher: true,
    query: z.strictObject({
      ...pageQuery({ max: 100, default: 20 }),
      sort_field: z.enum(['product_original_price']).optional(),
      sort_order: z.enum(['ASC', 'DESC']).optional(),
    }),
    body: z.strictObject({
      keyword_type: z.enum(['PRODUCT_ID', 'PRODUCT_NAME']).optional(),
      keyword: z.string().optional(),
      top_level_category_id: z.string().optional(),
    }),
    response: z.looseObject({
      ...pageOutSchema,
      open_collaborations: z.array(openCollaborationSchema).optional().default([]),
    }),
  }),

  /** One product per open collaboration; a second one for the same product is refused (16003012). */
  createOpenCollaboration: defineEndpoint({
    title: 'Create Open Collaboration',
    docs: docsPage('create-open-collaboration-202412'),
    method: 'POST',
    path: '/affiliate_seller/202412/open_collaborations',
    shopCipher: true,
    body: z.strictObject({ product_id: idSchema, commission_rate: commissionRateInput }),
    response: z
      .looseObject({
        open_collaboration: z.looseObject({
          id: idSchema,
          product_id: z.string().optional(),
          effective_time: unixSecondsSchema.optional(),
        }),
      })
      .transform((d) => d.open_collaboration),
    errors: { 16003012: TikTokStateConflict, 16003033: TikTokInvalidRequest },
  }),

  /** The documented rate knob of open collaborations is the auto-add default; a created one's rate has no update. */
  editOpenCollaborationSettings: defineEndpoint({
    title: 'Edit Open Collaboration Settings',
    docs: docsPage('edit-open-collaboration-settings-202405'),
    method: 'POST',
    path: '/affiliate_seller/202405/open_collaboration_settings',
    shopCipher: true,
    body: z.strictObject({
      auto_add_product: z.strictObject({ enable: z.boolean(), commission_rate: commissionRateInput }).optional(),
    }),
    response: emptyDataSchema,
  }),

  removeCreatorFromOpenCollaboration: defineEndpoint({
    title: 'Remove Creator From Open Collaboration',
    docs: docsPage('remove-creator-from-open-collaboration-202508'),
    method: 'POST',
    path: '/affiliate_seller/202508/open_collaborations/{open_collaboration_id}/remove_creator',
    shopCipher: true,
    ...openCollaborationPath,
    body: z.strictObject({ creator_user_open_id: z.string().min(1), product_id: idSchema }),
    response: emptyDataSchema,
    // The page lists no codes; the family's "invalid params" is what an unknown collaboration gets (unverified).
    errors: { 98001004: TikTokInvalidRequest },
  }),

  searchTargetCollaborations: defineEndpoint({
    title: 'Search Target Collaborations',
    docs: docsPage('search-target-collaborations-202508'),
    method: 'POST',
    path: '/affiliate_seller/202508/target_collaborations/search',
    shopCipher: true,
    query: z.strictObject({
      page_size: z.union([z.literal(20), z.literal(50), z.literal(100)]).default(20),
      page_token: z.string().min(1).optional(),
    }),
    body: z.strictObject({
      collaboration_status: z.enum(['ONGOING', 'EXPIRING', 'VALID', 'CANCELING', 'COMPLETED']),
      creator_accept_status: z.enum(['ACCEPT', 'ALL']).optional(),
      free_sample_setting: z.string().optional(),
      search_param: z
        .strictObject({
          keyword_type: z.enum(['PRODUCT_ID', 'PRODUCT_NAME', 'TARGET_COLLABORATION_ID', 'TARGET_COLLABORATION_NAME']),
          keyword: z.string().min(1),
        })
        .optional(),
      creator_user_open_id: z.string().optional(),
    }),
    response: z.looseObject({
      ...pageOutSchema,
      target_collaborations: z.array(targetCollaborationSummarySchema).optional().default([]),
    }),
  }),

  getTargetCollaboration: defineEndpoint({
    title: 'Query Target Collaboration Detail',
    docs: docsPage('query-target-collaboration-detail-202508'),
    method: 'GET',
    path: '/affiliate_seller/202508/target_collaborations/{target_collaboration_id}',
    shopCipher: true,
    ...targetCollaborationPath,
    response: z
      .looseObject({ target_collaboration: targetCollaborationDetailSchema })
      .transform((d) => d.target_collaboration),
    errors: { 50001700: TikTokNotFound },
  }),

  createTargetCollaboration: defineEndpoint({
    title: 'Create Target Collaboration',
    docs: docsPage('create-target-collaboration-202508'),
    method: 'POST',
    path: '/affiliate_seller/202508/target_collaborations',
    shopCipher: true,
    body: z.strictObject({
      ...targetPlanFields,
      products: z
        .array(
          z.strictObject({
            id: idSchema,
            target_commission_rate: commissionRateInput,
            shop_ads_commission_rate: commissionRateInput.optional(),
          }),
        )
        .min(1)
        .max(100),
    }),
    response: z.looseObject({
      target_collaboration: z.looseObject({ id: idSchema }).optional(),
      target_collaboration_conflicts: conflictsSchema,
    }),
    errors: { 16024008: TikTokInvalidRequest, 16024022: TikTokStateConflict, 98001004: TikTokInvalidRequest },
  }),

  /** Replaces the plan: its products (with rates), creators, end time. A lowered rate takes effect the next day. */
  updateTargetCollaboration: defineEndpoint({
    title: 'Update Target Collaboration',
    docs: docsPage('update-target-collaboration-202508'),
    method: 'PUT',
    path: '/affiliate_seller/202508/target_collaborations/{target_collaboration_id}',
    shopCipher: true,
    ...targetCollaborationPath,
    body: z.strictObject({
      ...targetPlanFields,
      products: z
        .array(
          z.strictObject({
            id: idSchema,
            commission_rate: commissionRateInput,
            target_ad_commission_rate: commissionRateInput.optional(),
          }),
        )
        .min(1)
        .max(100),
    }),
    response: z
      .union([
        z.null(),
        z.undefined(),
        z.looseObject({
          target_collaboration_conflicts: conflictsSchema,
          update_failed: z.looseObject({}).optional(),
        }),
      ])
      .transform((d) => ({ conflicts: d?.target_collaboration_conflicts ?? [], updateFailed: d?.update_failed })),
    errors: {
      50001700: TikTokNotFound,
      50001701: TikTokStateConflict,
      16024008: TikTokInvalidRequest,
      98001004: TikTokInvalidRequest,
    },
  }),

  removeTargetCollaboration: defineEndpoint({
    title: 'Remove Target Collaboration',
    docs: docsPage('remove-target-collaboration-202409'),
    method: 'DELETE',
    path: '/affiliate_seller/202409/target_collaborations/{target_collaboration_id}',
    shopCipher: true,
    ...targetCollaborationPath,
    response: emptyDataSchema,
    errors: { 50001700: TikTokNotFound },
  }),

  searchMarketplaceCreators: defineEndpoint({
    title: 'Seller Search Creator on Marketplace',
    docs: docsPage('seller-search-creator-on-marketplace-202508'),
    method: 'POST',
    path: '/affiliate_seller/202508/marketplace_creators/search',
    shopCipher: true,
    query: z.strictObject({
      page_size: z.union([z.literal(12), z.literal(20)]).default(20),
      page_token: z.string().min(1).optional(),
    }),
    body: z.strictObject({
      search_key: z.string().optional(),
      keyword: z.string().optional(),
      gmv_ranges: z.array(z.string()).optional(),
      units_sold_ranges: z.array(z.string()).optional(),
    }),
    response: z.looseObject({
      next_page_token: z.string().optional(),
      search_key: z.string().optional(),
      creators: z.array(marketplaceCreatorSchema).optional().default([]),
    }),
  }),

  getCreatorPerformance: defineEndpoint({
    title: 'Get Marketplace Creator Performance',
    docs: docsPage('get-marketplace-creator-performance-202508'),
    method: 'GET',
    path: '/affiliate_seller/202508/marketplace_creators/{creator_user_id}',
    shopCipher: true,
    params: z.strictObject({ creator_user_id: z.string().min(1) }),
    response: z.looseObject({ creator: creatorPerformanceSchema }).transform((d) => d.creator),
    errors: { 16901008: TikTokNotFound, 98001004: TikTokInvalidRequest },
  }),

  /** Analytics family (shop_cipher too): views and GMV of the videos promoting the shop's products. */
  getShopVideoPerformanceList: defineEndpoint({
    title: 'Get Shop Video Performance List',
    docs: docsPage('get-shop-video-performance-list-202409'),
    method: 'GET',
    path: '/analytics/202409/shop_videos/performance',
    shopCipher: true,
    query: z.strictObject({
      start_date_ge: isoDate,
      end_date_lt: isoDate,
      ...pageQuery({ max: 100, default: 10 }),
      sort_field: z.enum(['gmv', 'sku_orders', 'units_sold', 'views', 'click_through_rate']).optional(),
      sort_order: z.enum(['ASC', 'DESC']).optional(),
      currency: z.enum(['USD', 'LOCAL']).optional(),
      account_type: z.enum(['ALL', 'LINKED_ACCOUNTS', 'AFFILIATES']).optional(),
    }),
    response: z.looseObject({
      ...pageOutSchema,
      latest_available_date: z.string().optional(),
      videos: z.array(shopVideoPerformanceSchema).optional().default([]),
    }),
    errors: { 28001022: TikTokInvalidRequest },
  }),
};

// ---------- typed wrappers ----------

/**
 * Every page of a token-paginated search, one at a time (the caller stores each before asking for the next, so
 * nothing accumulates); an empty or absent `next_page_token` ends it.
 */
export async function* tokenPages<T extends { next_page_token?: string }>(
  fetchPage: (pageToken: string | undefined) => Promise<T>,
  firstPageToken?: string,
): AsyncGenerator<T> {
  let pageToken = firstPageToken;
  do {
    const page = await fetchPage(pageToken);
    yield page;
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
}

const withToken = (pageToken: string | undefined) => (pageToken ? { page_token: pageToken } : {});

/** Affiliate orders created in [from, to), page by page (from `pageToken` on when given: a resumed sync). */
export function affiliateOrderPages(
  client: TikTokClient,
  shop: ShopRef,
  window: { from: Date; to: Date; pageSize?: number; programId?: string; pageToken?: string },
  opts: CallOptions = {},
) {
  return tokenPages(
    (pageToken) =>
      callEndpoint(
        client,
        affiliateEndpoints.searchAffiliateOrders,
        shop,
        {
          page_size: window.pageSize ?? 100,
          create_time_ge: Math.floor(window.from.getTime() / 1000),
          create_time_lt: Math.floor(window.to.getTime() / 1000),
          ...(window.programId ? { program_id: window.programId } : {}),
          ...withToken(pageToken),
        },
        opts,
      ),
    window.pageToken,
  );
}

/** The shop's open collaborations (NORMAL and TERMINATING; removed and expired ones are not listed). */
export function openCollaborationPages(client: TikTokClient, shop: ShopRef, opts: CallOptions = {}) {
  return tokenPages((pageToken) =>
    callEndpoint(
      client,
      affiliateEndpoints.searchOpenCollaborations,
      shop,
      { page_size: 100, ...withToken(pageToken) },
      opts,
    ),
  );
}

export type TargetCollaborationStatus = 'ONGOING' | 'EXPIRING' | 'VALID' | 'CANCELING' | 'COMPLETED';

/** Target collaborations in `status`, page by page (summaries: rates and creators come with the detail). */
export function targetCollaborationPages(
  client: TikTokClient,
  shop: ShopRef,
  status: TargetCollaborationStatus,
  opts: CallOptions = {},
) {
  return tokenPages((pageToken) =>
    callEndpoint(
      client,
      affiliateEndpoints.searchTargetCollaborations,
      shop,
      { page_size: 100, collaboration_status: status, ...withToken(pageToken) },
      opts,
    ),
  );
}

/** Affiliates' videos with their figures over [startDate, endDate) (YYYY-MM-DD), page by page. */
export function affiliateVideoPages(
  client: TikTokClient,
  shop: ShopRef,
  period: { startDate: string; endDate: string },
  opts: CallOptions = {},
) {
  return tokenPages((pageToken) =>
    callEndpoint(
      client,
      affiliateEndpoints.getShopVideoPerformanceList,
      shop,
      {
        start_date_ge: period.startDate,
        end_date_lt: period.endDate,
        page_size: 100,
        account_type: 'AFFILIATES',
        ...withToken(pageToken),
      },
      opts,
    ),
  );
}

/** The marketplace creator whose username is exactly `username` (keyword search matches usernames and nicknames). */
export async function findCreatorByUsername(
  client: TikTokClient,
  shop: ShopRef,
  username: string,
  opts: CallOptions = {},
): Promise<MarketplaceCreator | undefined> {
  const page = await callEndpoint(
    client,
    affiliateEndpoints.searchMarketplaceCreators,
    shop,
    { page_size: 20, keyword: username },
    opts,
  );
  return page.creators.find((c) => c.username === username && c.creator_open_id);
}
