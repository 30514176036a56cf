import type { Knex } from 'knex';

// Issue 21: the shop's affiliate data as TikTok reports it, synced by activities/affiliateSync/ and read by the
// affiliate audit (db/affiliate.ts is the only writer/reader). Field meanings are those of the Open API specs cited
// in docs/tiktok-shop-api-sources.md (Search Seller Affiliate Orders, Search Open/Target Collaborations, Get
// Marketplace Creator Performance). Rates are integers in hundredths of a percent (1550 = 15.50%), as TikTok sends
// them; money is numeric in the line's currency.
export async function up(knex: Knex): Promise<void> {
  // One row per entry of an affiliate order's skus[] (Search Seller Affiliate Orders). The API gives the entries
  // no id of their own, so a line is keyed by its position in skus[] (line_no, 0-based): the same product can
  // appear twice in one order, credited to two creators, and both rows must survive the upsert.
  await knex.schema.createTable('affiliate_order_lines', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('order_id', 64).notNullable();
    t.integer('line_no').notNullable();
    t.string('order_status', 16).notNullable();
    t.timestamp('order_create_time', { useTz: true }).notNullable();
    t.timestamp('delivery_time', { useTz: true }).nullable();
    t.string('product_id', 64).notNullable();
    t.integer('quantity').notNullable();
    t.decimal('price_amount', 18, 2).nullable();
    t.string('currency', 3).nullable();
    t.string('open_collaboration_id', 64).nullable();
    t.string('target_collaboration_id', 64).nullable();
    t.string('campaign_id', 64).nullable();
    t.string('creator_username', 128).nullable();
    t.string('content_type', 24).nullable();
    t.string('content_id', 64).nullable();
    t.string('commission_model', 64).nullable();
    t.string('commission_tier_setting', 128).nullable();
    t.integer('commission_rate').nullable();
    t.integer('shop_ads_commission_rate').nullable();
    t.decimal('estimated_commission_base', 18, 2).nullable();
    t.decimal('estimated_paid_commission', 18, 2).nullable();
    t.decimal('estimated_paid_shop_ads_commission', 18, 2).nullable();
    t.decimal('actual_commission_base', 18, 2).nullable();
    t.decimal('actual_paid_commission', 18, 2).nullable();
    t.decimal('actual_paid_shop_ads_commission', 18, 2).nullable();
    t.decimal('estimated_cofunded_creator_bonus', 18, 2).nullable();
    t.decimal('actual_cofunded_creator_bonus', 18, 2).nullable();
    t.integer('refunded_quantity').notNullable().defaultTo(0);
    t.integer('returned_quantity').notNullable().defaultTo(0);
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'order_id', 'line_no']);
    // The audit pages through a period by creation time (keyset on order_id, line_no within it).
    t.index(['shop_id', 'order_create_time', 'order_id', 'line_no'], 'affiliate_order_lines_period_idx');
    t.index(['shop_id', 'creator_username'], 'affiliate_order_lines_creator_idx');
  });

  // Open collaborations (one product each) and target collaborations (a plan: products × creators), as last seen.
  await knex.schema.createTable('affiliate_collaborations', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('kind', 8).notNullable(); // 'open' | 'target'
    t.string('collaboration_id', 64).notNullable();
    t.string('name', 256).nullable();
    t.string('status', 32).nullable();
    t.timestamp('effective_time', { useTz: true }).nullable();
    t.timestamp('end_time', { useTz: true }).nullable();
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Set when a sync no longer finds it (removed on TikTok); cleared if it comes back.
    t.timestamp('gone_at', { useTz: true }).nullable();
    t.primary(['shop_id', 'kind', 'collaboration_id']);
  });

  // The creators a collaboration names (target: creator_user_open_ids; open: creators we removed).
  await knex.schema.createTable('affiliate_collaboration_creators', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('kind', 8).notNullable();
    t.string('collaboration_id', 64).notNullable();
    t.string('creator_open_id', 128).notNullable();
    t.string('status', 16).notNullable(); // 'active' | 'removed'
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('removed_at', { useTz: true }).nullable();
    t.primary(['shop_id', 'kind', 'collaboration_id', 'creator_open_id']);
  });

  // The API returns current rates only, so we keep one row per collaboration × product × day from the day we
  // first see it; a rate changed during the day overwrites that day's row (the last value seen that day).
  await knex.schema.createTable('affiliate_rate_snapshots', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('kind', 8).notNullable();
    t.string('collaboration_id', 64).notNullable();
    t.string('product_id', 64).notNullable();
    t.date('snapshot_date').notNullable();
    t.integer('commission_rate').notNullable();
    t.integer('shop_ads_commission_rate').nullable();
    t.timestamp('captured_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'kind', 'collaboration_id', 'product_id', 'snapshot_date']);
    t.index(['shop_id', 'product_id', 'snapshot_date'], 'affiliate_rate_snapshots_product_idx');
  });

  // Creators the shop works with or looked at (marketplace search, target plans, order lines).
  await knex.schema.createTable('affiliate_creators', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('creator_open_id', 128).notNullable();
    t.string('username', 128).notNullable();
    t.string('nickname', 256).nullable();
    t.integer('follower_count').nullable();
    t.string('selection_region', 8).nullable();
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'creator_open_id']);
    t.index(['shop_id', 'username'], 'affiliate_creators_username_idx');
  });

  // Get Marketplace Creator Performance (last 30 days as TikTok computes them), one row per creator and day.
  await knex.schema.createTable('affiliate_creator_performance', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('creator_open_id', 128).notNullable();
    t.date('as_of_date').notNullable();
    t.string('currency', 3).nullable();
    t.decimal('gmv', 18, 2).nullable();
    t.decimal('video_gmv', 18, 2).nullable();
    t.decimal('live_gmv', 18, 2).nullable();
    // GMV per mille (per 1,000 views), overall and for videos.
    t.decimal('gpm', 18, 2).nullable();
    t.decimal('video_gpm', 18, 2).nullable();
    t.integer('units_sold').nullable();
    t.integer('ec_video_count').nullable();
    t.bigInteger('avg_ec_video_play_count').nullable();
    t.integer('avg_commission_rate').nullable();
    t.integer('follower_count').nullable();
    t.timestamp('fetched_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'creator_open_id', 'as_of_date']);
  });
}
