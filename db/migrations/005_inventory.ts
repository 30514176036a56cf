import type { Knex } from 'knex';

// Catalog (ERP variants matched to TikTok SKUs), warehouse stock levels and the inventory feed's push log.
export async function up(knex: Knex): Promise<void> {
  // One row per variant: the ERP's seller_sku matched to the TikTok product and SKU (and its warehouses).
  await knex.schema.createTable('catalog_items', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('seller_sku', 100).notNullable();
    t.string('parent_key', 200).notNullable();
    t.string('tiktok_product_id', 64).notNullable();
    t.string('tiktok_sku_id', 64).notNullable();
    // Every warehouse the SKU is assigned to on TikTok (Update Inventory must list all of them).
    t.jsonb('warehouse_ids').notNullable().defaultTo('[]');
    t.jsonb('attributes').notNullable().defaultTo('{}');
    // NULL: the policy default (inventory.defaultSafetyBuffer).
    t.integer('safety_buffer');
    t.string('title', 500);
    // Highest feed version handed to TikTok for this SKU: a push with a lower version is stale and skipped.
    t.bigInteger('feed_version').notNullable().defaultTo(0);
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'seller_sku']);
    t.index(['shop_id', 'tiktok_product_id']);
  });

  await knex.schema.createTable('catalog_import_reports', (t) => {
    t.string('id', 64).primary();
    t.string('shop_id', 64).notNullable();
    t.string('format', 8).notNullable(); // csv | json
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | completed | failed
    t.text('source').notNullable(); // the uploaded document, as sent
    t.integer('rows_total');
    t.integer('rows_imported');
    t.integer('rows_rejected');
    t.jsonb('errors').notNullable().defaultTo('[]');
    t.text('failure');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.index(['shop_id', 'created_at']);
  });

  // Absolute on-hand per SKU and warehouse; `sequence` only moves forward (older events are ignored).
  await knex.schema.createTable('stock_levels', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('seller_sku', 100).notNullable();
    t.string('warehouse_id', 64).notNullable();
    t.integer('on_hand').notNullable();
    t.bigInteger('sequence').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'seller_sku', 'warehouse_id']);
  });

  // Every push to TikTok and its read-back confirmation: out-of-stock → confirmed-delist latency is
  // confirmed_at − stock_event_at of the rows with quantity 0.
  await knex.schema.createTable('inventory_push_log', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('tiktok_product_id', 64).notNullable();
    t.string('tiktok_sku_id', 64).notNullable();
    t.string('seller_sku', 100).notNullable();
    t.string('action', 16).notNullable(); // quantity | deactivate | activate
    t.integer('quantity').notNullable();
    t.jsonb('warehouses').notNullable().defaultTo('[]');
    t.bigInteger('version').notNullable();
    t.timestamp('stock_event_at', { useTz: true });
    t.timestamp('requested_at', { useTz: true }).notNullable();
    t.timestamp('confirmed_at', { useTz: true });
    t.string('outcome', 32).notNullable().defaultTo('requested'); // requested | confirmed | refused | unconfirmed
    t.text('detail');
    t.index(['shop_id', 'seller_sku', 'requested_at']);
  });
}
