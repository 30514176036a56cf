import type { Knex } from 'knex';

// Carrier tracking (issue 16, integrations/carrierTracking/types.ts): the history of each order's package as the
// tracking service (EasyPost) last returned it, and every tracker.updated webhook we accepted, kept whole so none is
// lost even when it arrives before we stored the tracker it is about. Written by db/carrierTrackers.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('carrier_trackers', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('order_id', 64).notNullable();
    t.string('tracker_id', 64).notNullable();
    t.string('carrier', 64).notNullable();
    t.string('tracking_code', 128).notNullable();
    t.string('status', 64).notNullable();
    // CarrierTrackingHistory as JSON: the scans are read whole (evidence bundle), never queried one by one.
    t.jsonb('history').notNullable();
    t.timestamp('fetched_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'order_id', 'tracker_id']);
    t.index(['tracker_id']);
  });

  await knex.schema.createTable('carrier_tracker_events', (t) => {
    t.bigIncrements('id').primary();
    // EasyPost's Event id: a repeated delivery of the same event counts on its row.
    t.string('event_id', 64).notNullable().unique();
    t.string('tracker_id', 64).notNullable();
    t.string('description', 64).notNullable();
    t.jsonb('body').notNullable();
    t.jsonb('history').notNullable();
    t.integer('deliveries').notNullable().defaultTo(1);
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Set once the history reached carrier_trackers (null while we hold no tracker with this id).
    t.timestamp('applied_at', { useTz: true });
    t.index(['tracker_id', 'applied_at']);
  });
}
