import type { Knex } from 'knex';

// Order acknowledgment (workflows/orderAcknowledgment/workflow.ts): what the warehouse is told, what operators must do, and
// the dispatch facts the LDR/VTR metrics are computed from.
export async function up(knex: Knex): Promise<void> {
  // One row per order: the order as the warehouse receives it. Buyer details live here (PostgreSQL), never in
  // workflow history. `version` grows when the order changes (address update, cancellation) and is re-sent.
  await knex.schema.createTable('warehouse_outbox', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('order_id', 64).notNullable();
    t.string('warehouse_id', 64);
    t.jsonb('payload').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    // pending (written) → sent (WMS answered 2xx for `sent_version`); cancelled orders keep their row.
    t.string('status', 16).notNullable().defaultTo('pending');
    t.integer('sent_version');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'order_id']);
  });

  // Packages handed to TikTok: tracking number, provider and (TikTok Shipping) the label URL.
  await knex.schema.createTable('order_shipments', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('order_id', 64).notNullable();
    t.string('package_id', 64).notNullable();
    t.string('tracking_number', 128);
    t.string('carrier', 128);
    t.string('shipping_provider_id', 64);
    t.text('label_url');
    t.jsonb('line_item_ids').notNullable().defaultTo('[]');
    t.timestamp('shipped_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'order_id', 'package_id']);
  });

  // Work for operators (escalations, cancellation decisions), listed by GET /v1/ops-tasks.
  await knex.schema.createTable('ops_tasks', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('order_id', 64);
    t.string('kind', 64).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('done_at', { useTz: true });
    // A retried activity never opens the same task twice.
    t.unique(['shop_id', 'order_id', 'kind']);
    t.index(['done_at', 'due_at']);
  });

  // Dispatch facts per order: dispatched (on time or late vs the carrier-scan deadline), late (deadline passed
  // undispatched), near_miss, tracking (each carrier event). The shop metrics are computed from these rows.
  await knex.schema.createTable('order_dispatch_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('dedup_key', 300).notNullable().unique();
    t.string('shop_id', 64).notNullable();
    t.string('order_id', 64).notNullable();
    t.string('kind', 32).notNullable();
    t.timestamp('deadline', { useTz: true });
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.boolean('on_time');
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id', 'kind', 'occurred_at']);
  });
}
