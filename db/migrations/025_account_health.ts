import type { Knex } from 'knex';

// Account health (issue 17; accountHealth/index.ts computes it, db/accountHealth.ts is the only writer and reader):
// what our records need beyond the dispatch events to compute TikTok's metrics, the violations a person enters from
// Seller Center notices, one snapshot per shop per day, and a per-shop dirty marker so order events cost one signal
// per refresh instead of one per order.
export async function up(knex: Knex): Promise<void> {
  // The order as its last read showed it, reduced to what the metrics need: FBT and creator samples are excluded
  // from some metrics, cancellations count by who caused them, delivery against the deliver-by time.
  await knex.schema.createTable('order_health_facts', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('order_id', 64).notNullable();
    t.string('status', 32).notNullable();
    t.timestamp('paid_at', { useTz: true });
    t.boolean('fulfilled_by_tiktok').notNullable().defaultTo(false);
    t.boolean('tiktok_shipping').notNullable().defaultTo(false);
    t.boolean('creator_sample').notNullable().defaultTo(false);
    t.timestamp('collected_at', { useTz: true });
    t.timestamp('deliver_by', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('cancelled_at', { useTz: true });
    // SELLER | BUYER | SYSTEM (Get Order Detail cancellation_initiator) and TikTok's reason name.
    t.string('cancel_initiator', 16);
    t.string('cancel_reason', 200);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'order_id']);
    t.index(['shop_id', 'paid_at']);
    t.index(['shop_id', 'delivered_at']);
  });

  await knex.schema.createTable('account_health_violations', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('policy', 100).notNullable();
    t.integer('points').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    // occurred_at + the regime's window when entered; the window row in force then decides it.
    t.timestamp('expires_at', { useTz: true }).notNullable();
    // The notice's reference: the same notice entered twice is one violation.
    t.string('notice_ref', 200);
    t.text('note');
    t.string('entered_by', 200).notNullable();
    t.timestamp('entered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'notice_ref']);
    t.index(['shop_id', 'expires_at']);
  });

  await knex.schema.createTable('account_health_snapshots', (t) => {
    t.string('shop_id', 64).notNullable();
    t.date('day').notNullable();
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.integer('score_value').notNullable();
    t.integer('milestone');
    t.jsonb('rates').notNullable();
    t.jsonb('report').notNullable();
    t.primary(['shop_id', 'day']);
  });

  // A row while the shop has changes its account health has not taken in yet.
  await knex.schema.createTable('account_health_dirty', (t) => {
    t.string('shop_id', 64).primary();
    t.timestamp('dirty_since', { useTz: true }).notNullable();
    t.timestamp('last_marked_at', { useTz: true }).notNullable();
  });
}
