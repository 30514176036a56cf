import type { Knex } from 'knex';

// Issue 21 (affiliate data, second step of 026): creators' videos promoting the shop's products with their views and
// GMV (Get Shop Video Performance List, account_type AFFILIATES:
// https://partner.tiktokshop.com/docv2/page/get-shop-video-performance-list-202409), one row per video and requested
// date range, so the audit's GMV per view is the shop's own figure, not only the marketplace-wide `gpm`.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('affiliate_video_performance', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('video_id', 64).notNullable();
    // [period_start, period_end) as asked (start_date_ge, end_date_lt; shop time zone dates).
    t.date('period_start').notNullable();
    t.date('period_end').notNullable();
    t.string('username', 128).nullable();
    t.string('title', 512).nullable();
    t.timestamp('posted_at', { useTz: true }).nullable();
    t.string('currency', 3).nullable();
    t.decimal('gmv', 18, 2).nullable();
    t.integer('sku_orders').nullable();
    t.integer('units_sold').nullable();
    t.bigInteger('views').nullable();
    t.string('click_through_rate', 32).nullable();
    t.jsonb('product_ids').notNullable().defaultTo('[]');
    t.timestamp('fetched_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'video_id', 'period_start', 'period_end']);
    t.index(['shop_id', 'period_start', 'period_end', 'username'], 'affiliate_video_performance_creator_idx');
  });
}
