// Contract: the affiliate seller endpoints (integrations/tiktok/affiliate.ts) against the emulator
// (emulators/tiktok-shop/affiliate.ts): every endpoint, token pagination, the documented error codes, and the seed's
// planted problems as the API shows them (emulators/tiktok-shop/affiliateSeed.ts).
// https://partner.tiktokshop.com/docv2/page/search-seller-affiliate-orders-202410
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { AffiliateSeedResult, PlantedProblem } from '../../emulators/tiktok-shop/affiliateSeed';
import {
  affiliateEndpoints as api,
  affiliateOrderPages,
  findCreatorByUsername,
  type AffiliateOrder,
} from '../../integrations/tiktok/affiliate';
import { callEndpoint } from '../../integrations/tiktok/endpoint';
import {
  TikTokInvalidRequest,
  TikTokNotFound,
  TikTokRateLimited,
  TikTokStateConflict,
} from '../../integrations/tiktok/errors';
import { DAY, advanceClock, expectFailure, startHarness, type Harness } from './harness';

const ORDERS_API = 'POST /affiliate_seller/202410/orders/search';

async function allOrders(h: Harness, pageSize: number, from = new Date(0), to = new Date(Date.now() + 400 * DAY)) {
  const orders: AffiliateOrder[] = [];
  let pages = 0;
  for await (const page of affiliateOrderPages(h.client, h.shop, { from, to, pageSize })) {
    pages += 1;
    orders.push(...page.orders);
  }
  return { orders, pages };
}

const plantsOf = <K extends PlantedProblem['kind']>(seed: AffiliateSeedResult, kind: K) =>
  seed.planted.filter((p): p is Extract<PlantedProblem, { kind: K }> => p.kind === kind);

void describe('affiliate seller endpoints', () => {
  let h: Harness;
  let seed: AffiliateSeedResult;
  const product = () => h.products[1]!.id;

  before(async () => {
    h = await startHarness();
    seed = await h.admin<AffiliateSeedResult>('/affiliate/seed', { shop_id: h.shop.shopId });
  });
  after(async () => {
    await h?.close();
  });

  void test('the seed lists one entry per planted problem, each with its ids and money at stake', () => {
    const kinds = seed.planted.map((p) => p.kind).sort();
    assert.deepEqual(kinds, [
      'affiliate_and_shop_ads',
      'affiliate_and_shop_ads',
      'commission_on_refunded_units',
      'commission_on_refunded_units',
      'double_attribution',
      'high_return_to_origin',
      'low_gmv_per_view',
      'lowered_rate_before_30_days',
      'lowered_rate_before_30_days',
    ]);
    assert.deepEqual(plantsOf(seed, 'double_attribution')[0]!.commissions, ['4.50', '5.40']);
    assert.deepEqual(
      plantsOf(seed, 'commission_on_refunded_units').map((p) => p.overpaid),
      ['4.50', '2.22'],
    );
    assert.deepEqual(
      plantsOf(seed, 'lowered_rate_before_30_days').map((p) => p.underpaid),
      ['4.50', '4.50'],
    );
    assert.equal(plantsOf(seed, 'high_return_to_origin')[0]!.returnedToOrigin, 4);
    const low = plantsOf(seed, 'low_gmv_per_view')[0]!;
    assert.deepEqual([low.gpm, low.shopVideoViews, low.shopVideoGmv], ['0.44', 1_250_000, '300.00']);
  });

  void test('Search Seller Affiliate Orders: pages of 7 until next_page_token is empty; the plants as the API shows them', async () => {
    const { orders, pages } = await allOrders(h, 7);
    // The three lamp orders after the rate cut are not created yet (business time).
    assert.equal(orders.length, seed.orderCount - 3);
    assert.equal(pages, Math.ceil(orders.length / 7));
    assert.equal(new Set(orders.map((o) => o.id)).size, orders.length);
    const byId = new Map(orders.map((o) => [o.id, o]));

    const double = plantsOf(seed, 'double_attribution')[0]!;
    const skus = byId.get(double.orderId)!.skus;
    assert.deepEqual(
      skus.map((s) => [s.product_id, s.creator_username, s.open_collaboration_id !== undefined]),
      [
        [double.productId, 'ava.reviews', true],
        [double.productId, 'ben.unboxes', false],
      ],
    );
    for (const p of plantsOf(seed, 'affiliate_and_shop_ads')) {
      const s = byId.get(p.orderId)!.skus[p.lineNo]!;
      assert.equal(s.shop_ads_commission_rate, 1000);
      assert.equal(s.commission_rate, 1800);
      assert.deepEqual([s.actual_paid_commission?.amount, s.actual_paid_shop_ads_commission?.amount], ['5.40', '3.00']);
    }
    for (const p of plantsOf(seed, 'commission_on_refunded_units')) {
      const s = byId.get(p.orderId)!.skus[0]!;
      assert.equal(s.actual_commission_base?.amount, s.estimated_commission_base?.amount);
      assert.equal((s.refunded_quantity ?? 0) + (s.returned_quantity ?? 0) > 0, true);
    }
    const rto = plantsOf(seed, 'high_return_to_origin')[0]!;
    for (const id of rto.orderIds) {
      const o = byId.get(id)!;
      assert.deepEqual(
        [o.status, o.delivery_time, o.skus[0]!.actual_paid_commission?.amount],
        ['CANCELLED', undefined, '0.00'],
      );
    }
    // Every order of the seed is in dollars, with the commission fields the page lists.
    const sample = orders[0]!.skus[0]!;
    assert.equal(sample.price?.currency, 'USD');
    assert.equal(typeof sample.commission_rate, 'number');
  });

  void test('orders: create_time window and program_id filters; page_size outside 1–100 refused before sending', async () => {
    const double = plantsOf(seed, 'double_attribution')[0]!;
    const T = Date.parse(seed.seededAt);
    const recent = await allOrders(h, 100, new Date(T - 9.5 * DAY), new Date(T - 8.5 * DAY));
    assert.ok(recent.orders.some((o) => o.id === double.orderId));
    assert.ok(recent.orders.every((o) => o.create_time * 1000 >= T - 9.5 * DAY - 1000));
    const lampPlan = seed.targetCollaborationIds[0]!;
    const page = await callEndpoint(h.client, api.searchAffiliateOrders, h.shop, {
      page_size: 100,
      program_id: lampPlan,
    });
    assert.ok(page.orders.length > 0);
    assert.ok(page.orders.every((o) => o.skus.some((s) => s.target_collaboration_id === lampPlan)));
    await expectFailure(
      callEndpoint(h.client, api.searchAffiliateOrders, h.shop, { page_size: 101 }),
      TikTokInvalidRequest,
    );
  });

  void test('the emulator refuses a page_size outside 1–100 and a version that does not exist', async () => {
    const raw = (path: string, pageSize: number) =>
      h.client.request({
        method: 'POST',
        path,
        query: { page_size: pageSize },
        body: {},
        shopId: h.shop.shopId,
        shopCipher: h.shop.shopCipher,
        schema: z.unknown(),
      });
    const tooBig = await expectFailure(raw('/affiliate_seller/202410/orders/search', 500), TikTokInvalidRequest);
    assert.equal(tooBig.code, 36009004);
    const version = await expectFailure(raw('/affiliate_seller/202212/orders/search', 10), TikTokInvalidRequest);
    assert.equal(version.code, 36009014);
  });

  void test('rate limit: the orders search past its per-API budget → 36009002 → TikTokRateLimited', async () => {
    await h.admin('/rate-limit', { windowMs: 60_000, perApi: { [ORDERS_API]: 0 } });
    try {
      const err = await expectFailure(
        callEndpoint(h.client, api.searchAffiliateOrders, h.shop, { page_size: 10 }),
        TikTokRateLimited,
      );
      assert.equal(err.code, 36009002);
    } finally {
      await h.admin('/rate-limit', { windowMs: 1000, perApi: { [ORDERS_API]: 50 } });
    }
  });

  void test('open collaborations: create, search, a second one for the product refused (16003012), no rate update', async () => {
    const created = await callEndpoint(h.client, api.createOpenCollaboration, h.shop, {
      product_id: product(),
      commission_rate: 1250,
    });
    assert.equal(created.product_id, product());
    const again = await expectFailure(
      callEndpoint(h.client, api.createOpenCollaboration, h.shop, { product_id: product(), commission_rate: 900 }),
      TikTokStateConflict,
    );
    assert.equal(again.code, 16003012);
    const found = await callEndpoint(h.client, api.searchOpenCollaborations, h.shop, {
      page_size: 10,
      keyword_type: 'PRODUCT_ID',
      keyword: product(),
    });
    assert.deepEqual(
      found.open_collaborations.map((c) => [c.id, c.current_commission?.rate, c.status]),
      [[created.id, 1250, 'NORMAL']],
    );
    const paged = await callEndpoint(h.client, api.searchOpenCollaborations, h.shop, { page_size: 2 });
    assert.equal(paged.total_count, 3);
    assert.ok(paged.next_page_token);
    const rest = await callEndpoint(h.client, api.searchOpenCollaborations, h.shop, {
      page_size: 2,
      page_token: paged.next_page_token,
    });
    assert.equal(rest.open_collaborations.length, 1);
    assert.equal(rest.next_page_token || undefined, undefined);
    // The emulator's own range check (1%–80%), reached by a raw call the client would refuse.
    const rate = await expectFailure(
      h.client.request({
        method: 'POST',
        path: '/affiliate_seller/202412/open_collaborations',
        body: { product_id: h.products[0]!.id, commission_rate: 9000 },
        shopId: h.shop.shopId,
        shopCipher: h.shop.shopCipher,
        schema: z.unknown(),
      }),
      TikTokInvalidRequest,
    );
    assert.equal(rate.code, 16003033);
    await callEndpoint(h.client, api.editOpenCollaborationSettings, h.shop, {
      auto_add_product: { enable: true, commission_rate: 1000 },
    });
  });

  void test('remove creator from an open collaboration: recorded once; an unknown collaboration is refused', async () => {
    const [serumOpen] = seed.openCollaborationIds as [string];
    const ava = seed.creators.find((c) => c.username === 'ava.reviews')!.openId;
    for (let i = 0; i < 2; i++) {
      await callEndpoint(h.client, api.removeCreatorFromOpenCollaboration, h.shop, {
        open_collaboration_id: serumOpen,
        creator_user_open_id: ava,
        product_id: seed.products.serum!,
      });
    }
    const state = await h.admin<{ open: { id: string; removedCreators: Record<string, number> }[] }>(
      `/affiliate/collaborations?shop_id=${h.shop.shopId}`,
    );
    assert.deepEqual(Object.keys(state.open.find((c) => c.id === serumOpen)!.removedCreators), [ava]);
    const unknown = await expectFailure(
      callEndpoint(h.client, api.removeCreatorFromOpenCollaboration, h.shop, {
        open_collaboration_id: '7300000000000000000',
        creator_user_open_id: ava,
        product_id: seed.products.serum!,
      }),
      TikTokInvalidRequest,
    );
    assert.equal(unknown.code, 98001004);
  });

  void test('target collaborations: search, detail, create with a conflict, update a rate (a cut waits for 00:00), remove', async () => {
    const [lampPlan, serumPlan] = seed.targetCollaborationIds as [string, string];
    const valid = await callEndpoint(h.client, api.searchTargetCollaborations, h.shop, {
      collaboration_status: 'VALID',
    });
    assert.deepEqual(valid.target_collaborations.map((t) => t.id).sort(), [lampPlan, serumPlan].sort());
    const lamp = await callEndpoint(h.client, api.getTargetCollaboration, h.shop, {
      target_collaboration_id: lampPlan,
    });
    assert.deepEqual(
      lamp.products.map((p) => [p.id, p.commission?.rate]),
      [[seed.products.lamp, 2000]],
    );
    assert.deepEqual(lamp.creators.map((c) => c.username).sort(), ['cara.styles', 'finn.finds']);

    const eve = seed.creators.find((c) => c.username === 'eve.picks')!.openId;
    const ben = seed.creators.find((c) => c.username === 'ben.unboxes')!.openId;
    const plan = {
      name: 'Vetted creators',
      end_time: Math.floor(Date.parse(seed.seededAt) / 1000) + 30 * 86400,
      seller_contact_info: { email: 'a@example.com' },
      free_sample_rule: { has_free_sample: false, is_sample_approval_exempt: false },
    };
    // ben already promotes the serum in another plan: refused per creator × product, nothing created.
    const clash = await callEndpoint(h.client, api.createTargetCollaboration, h.shop, {
      ...plan,
      creator_user_open_ids: [ben],
      products: [{ id: seed.products.serum!, target_commission_rate: 1500 }],
    });
    assert.equal(clash.target_collaboration, undefined);
    assert.deepEqual(clash.target_collaboration_conflicts, [
      { creator_user_open_id: ben, product_id: seed.products.serum },
    ]);
    const created = await callEndpoint(h.client, api.createTargetCollaboration, h.shop, {
      ...plan,
      creator_user_open_ids: [eve],
      products: [{ id: seed.products.cleanser!, target_commission_rate: 1500, shop_ads_commission_rate: 500 }],
    });
    const id = created.target_collaboration!.id;

    const update = (rate: number) =>
      callEndpoint(h.client, api.updateTargetCollaboration, h.shop, {
        ...plan,
        target_collaboration_id: id,
        creator_user_open_ids: [eve],
        products: [{ id: seed.products.cleanser!, commission_rate: rate }],
      });
    const rateNow = async () =>
      (await callEndpoint(h.client, api.getTargetCollaboration, h.shop, { target_collaboration_id: id })).products[0]!
        .commission?.rate;
    await update(2000);
    assert.equal(await rateNow(), 2000); // a raise applies at once
    await update(1200);
    assert.equal(await rateNow(), 2000); // a cut from 00:00 the next day
    await advanceClock(h, DAY);
    assert.equal(await rateNow(), 1200);

    await callEndpoint(h.client, api.removeTargetCollaboration, h.shop, { target_collaboration_id: id });
    const expired = await expectFailure(update(1300), TikTokStateConflict);
    assert.equal(expired.code, 50001701);
    const completed = await callEndpoint(h.client, api.searchTargetCollaborations, h.shop, {
      collaboration_status: 'COMPLETED',
    });
    assert.deepEqual(
      completed.target_collaborations.map((t) => t.id),
      [id],
    );
    const missing = await expectFailure(
      callEndpoint(h.client, api.getTargetCollaboration, h.shop, { target_collaboration_id: '7400000000000000000' }),
      TikTokNotFound,
    );
    assert.equal(missing.code, 50001700);
  });

  void test('marketplace creators: search by keyword (pages of 12), exact username lookup, performance, unknown creator', async () => {
    const first = await callEndpoint(h.client, api.searchMarketplaceCreators, h.shop, { page_size: 12 });
    assert.equal(first.creators.length, 6);
    assert.equal(first.next_page_token || undefined, undefined);
    const dan = await findCreatorByUsername(h.client, h.shop, 'dan.daily');
    assert.equal(dan?.creator_open_id, plantsOf(seed, 'low_gmv_per_view')[0]!.creatorOpenId);
    assert.equal(await findCreatorByUsername(h.client, h.shop, 'dan'), undefined);
    const perf = await callEndpoint(h.client, api.getCreatorPerformance, h.shop, {
      creator_user_id: dan.creator_open_id,
    });
    assert.deepEqual(
      [perf.username, perf.gpm?.amount, perf.avg_ec_video_play_count, perf.ec_video_count],
      ['dan.daily', '0.44', 250_000, 10],
    );
    const unknown = await expectFailure(
      callEndpoint(h.client, api.getCreatorPerformance, h.shop, { creator_user_id: 'uACnobody' }),
      TikTokNotFound,
    );
    assert.equal(unknown.code, 16901008);
  });

  void test('Get Shop Video Performance List: affiliates only, by views, pages of 5; bad dates are 28001022', async () => {
    const T = Date.parse(seed.seededAt);
    const period = {
      start_date_ge: new Date(T - 30 * DAY).toISOString().slice(0, 10),
      end_date_lt: new Date(T + DAY).toISOString().slice(0, 10),
    };
    const first = await callEndpoint(h.client, api.getShopVideoPerformanceList, h.shop, {
      ...period,
      page_size: 5,
      sort_field: 'views',
      account_type: 'AFFILIATES',
    });
    assert.equal(first.total_count, 12);
    assert.deepEqual(
      first.videos.slice(0, 2).map((v) => [v.username, v.views, v.gmv?.amount]),
      [
        ['dan.daily', 700_000, '180.00'],
        ['dan.daily', 550_000, '120.00'],
      ],
    );
    const rest = await callEndpoint(h.client, api.getShopVideoPerformanceList, h.shop, {
      ...period,
      page_size: 10,
      sort_field: 'views',
      account_type: 'AFFILIATES',
      page_token: first.next_page_token,
    });
    assert.equal(rest.videos.length, 7);
    assert.ok([...first.videos, ...rest.videos].every((v) => v.username !== 'shop.official'));
    const all = await callEndpoint(h.client, api.getShopVideoPerformanceList, h.shop, { ...period, page_size: 100 });
    assert.equal(all.total_count, 13);
    const bad = await expectFailure(
      callEndpoint(h.client, api.getShopVideoPerformanceList, h.shop, {
        start_date_ge: period.end_date_lt,
        end_date_lt: period.start_date_ge,
      }),
      TikTokInvalidRequest,
    );
    assert.equal(bad.code, 28001022);
  });
});
