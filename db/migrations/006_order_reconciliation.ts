import type { Knex } from 'knex';

// Order reconciliation (workflows/orderReconciliation/workflow.ts): per shop, how far TikTok's order updates have been
// searched, and one row per run with what it found, so a dropped webhook is visible as a "started" count.
export async function up(knex: Knex): Promise<void> {
  // The highest TikTok update_time seen by a completed run; the next run searches from it minus a small overlap.
  await knex.schema.createTable('order_reconciliation_watermarks', (t) => {
    t.string('shop_id', 64).primary();
    t.timestamp('updated_since', { useTz: true }).notNullable();
    t.string('last_run_workflow_id', 200);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('order_reconciliation_runs', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    // The schedule's run id (`reconcile-orders:<shopId>-<time>`) plus the run: a retried write is the same row.
    t.string('workflow_id', 200).notNullable();
    t.string('run_id', 64).notNullable();
    t.string('status', 16).notNullable().defaultTo('running'); // running | completed | failed
    // The search window: update_time >= searched_from (watermark minus overlap).
    t.timestamp('searched_from', { useTz: true });
    t.timestamp('watermark_before', { useTz: true });
    t.timestamp('watermark_after', { useTz: true });
    t.integer('pages').notNullable().defaultTo(0);
    t.integer('orders_seen').notNullable().defaultTo(0);
    t.integer('workflows_started').notNullable().defaultTo(0);
    t.integer('workflows_signalled').notNullable().defaultTo(0);
    t.integer('already_closed').notNullable().defaultTo(0);
    t.text('error');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.unique(['workflow_id', 'run_id']);
    t.index(['shop_id', 'started_at']);
  });
}
