import type { Knex } from 'knex';

// Sales-tax input data (issue 20 item 1): every sale, refund, creator sample and withdrawal line of every channel, as
// the monthly tax report reads them (TikTok's Finance API through activities/taxData, other channels through the
// sales import); the days each state held our stock (FBT, 3PL, own warehouses: physical nexus); and which day
// ranges of history were actually fetched or imported, so a report can say which nexus windows it does not cover.
// Written by db/taxSales.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tax_sales_lines', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('channel', 64).notNullable();
    t.string('source', 32).notNullable();
    t.string('order_id', 128).notNullable();
    t.string('line_id', 128).notNullable();
    t.string('kind', 16).notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.specificType('ship_to_state', 'char(2)').notNullable();
    t.string('ship_to_zip', 10).notNullable();
    t.string('ship_to_city', 128).nullable();
    t.integer('quantity').notNullable();
    // Signed: a refund line carries negative amounts, so a sum over a period nets refunds in their own month.
    t.decimal('gross', 14, 2).notNullable();
    t.decimal('seller_discount', 14, 2).notNullable().defaultTo(0);
    t.decimal('platform_discount', 14, 2).notNullable().defaultTo(0);
    t.decimal('shipping', 14, 2).notNullable().defaultTo(0);
    t.decimal('item_tax', 14, 2).notNullable().defaultTo(0);
    t.decimal('shipping_tax', 14, 2).notNullable().defaultTo(0);
    t.string('collected_by', 16).notNullable();
    t.string('exempt_reason', 64).nullable();
    t.string('fulfilled_by', 16).notNullable();
    t.string('refund_of_line_id', 128).nullable();
    t.string('currency', 3).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'source', 'order_id', 'line_id', 'kind']);
  });
  // The daily aggregate scans a shop's time range; the report's keyset pages (by id, within a range) read the second
  // index, whose occurred_at lets the range filter run before the table is touched.
  await knex.raw('create index tax_sales_lines_shop_time on tax_sales_lines (shop_id, occurred_at)');
  await knex.raw('create index tax_sales_lines_shop_id on tax_sales_lines (shop_id, id, occurred_at)');
  await knex.raw(
    `alter table tax_sales_lines
       add constraint tax_sales_lines_source check (source in ('tiktok_finance', 'import')),
       add constraint tax_sales_lines_kind check (kind in ('sale', 'refund', 'sample', 'withdrawal')),
       add constraint tax_sales_lines_collected_by check (collected_by in ('tiktok', 'seller', 'none')),
       add constraint tax_sales_lines_fulfilled_by check (fulfilled_by in ('fbt', 'seller', '3pl')),
       add constraint tax_sales_lines_quantity check (quantity >= 0)`,
  );

  await knex.schema.createTable('tax_inventory_presence', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.specificType('state', 'char(2)').notNullable();
    t.string('location_id', 128).notNullable();
    t.string('location_kind', 8).notNullable();
    t.date('from_day').notNullable();
    t.date('to_day').nullable(); // null: still there
    t.integer('units').notNullable();
    t.string('source', 32).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'source', 'location_id', 'from_day']);
  });
  await knex.raw(
    `alter table tax_inventory_presence
       add constraint tax_inventory_presence_kind check (location_kind in ('fbt', '3pl', 'own')),
       add constraint tax_inventory_presence_days check (to_day is null or to_day >= from_day)`,
  );

  await knex.schema.createTable('tax_history_coverage', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('source', 32).notNullable();
    t.date('from_day').notNullable();
    t.date('to_day').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'source', 'from_day', 'to_day']);
  });
  await knex.raw(
    `alter table tax_history_coverage add constraint tax_history_coverage_days check (to_day >= from_day)`,
  );
}
