import type { Knex } from 'knex';

// Category ungating (issue 19): which TikTok category each of a shop's products is in, synced from Get Product
// (`category_chains`, the leaf is the product's category), so a product audit webhook (type 37), which carries only a
// product id, reaches the workflow of its shop and category (`ungating:<shopId>:<categoryId>`). Every type-37 event is
// kept in product_audit_events with what became of it: routed to a workflow, unmapped (the product is not in the
// mapping yet) or no application (the category has no running workflow), so none is lost. Written by
// db/productCategories.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('product_categories', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('product_id', 64).notNullable();
    t.string('category_id', 64).notNullable();
    /** The category chain from the root to the leaf, as Get Product gave it: [{id, local_name}]. */
    t.jsonb('category_chain').notNullable().defaultTo('[]');
    t.string('product_status', 32);
    t.string('audit_status', 32);
    /** Where the row came from: 'get_product' or 'webhook'. */
    t.string('source', 32).notNullable();
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'product_id']);
    t.index(['shop_id', 'category_id']);
  });
  await knex.schema.createTable('product_audit_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('product_id', 64).notNullable();
    t.string('category_id', 64);
    t.string('audit_status', 32).notNullable();
    t.specificType('reasons', 'text[]').notNullable().defaultTo('{}');
    /** TikTok's update_time of the audit change. */
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    /** 'routed' | 'unmapped' | 'no_application'. */
    t.string('outcome', 32).notNullable();
    t.string('workflow_id', 200);
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // A redelivered webhook records nothing new (the relay may deliver a row twice).
    t.unique(['shop_id', 'product_id', 'audit_status', 'occurred_at']);
    t.index(['shop_id', 'outcome']);
  });
}
