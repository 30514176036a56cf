import type { Knex } from 'knex';

// Issue 15: returns are reconciled like orders (workflows/returnReconciliation/workflow.ts), so the order
// reconciliation's watermark and run tables become one pair for both, told apart by `kind` ('orders' | 'returns'):
// one repository (db/reconciliation.ts), one API shape. And the webhook inbox answers "did this return's status
// already arrive by webhook?" by an index, as 007 does for orders.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.renameTable('order_reconciliation_watermarks', 'reconciliation_watermarks');
  await knex.schema.alterTable('reconciliation_watermarks', (t) => {
    t.string('kind', 16).notNullable().defaultTo('orders');
    t.dropPrimary('order_reconciliation_watermarks_pkey');
  });
  await knex.schema.alterTable('reconciliation_watermarks', (t) => {
    t.primary(['shop_id', 'kind']);
  });

  await knex.schema.renameTable('order_reconciliation_runs', 'reconciliation_runs');
  await knex.schema.alterTable('reconciliation_runs', (t) => {
    t.string('kind', 16).notNullable().defaultTo('orders');
    t.renameColumn('orders_seen', 'seen');
    // Items whose status had already reached their workflow by webhook (not signalled again).
    t.integer('already_notified').notNullable().defaultTo(0);
    t.index(['shop_id', 'kind', 'id']);
  });
  // The rows written from now on say their kind.
  await knex.raw('ALTER TABLE reconciliation_watermarks ALTER COLUMN kind DROP DEFAULT');
  await knex.raw('ALTER TABLE reconciliation_runs ALTER COLUMN kind DROP DEFAULT');

  await knex.raw(
    `CREATE INDEX webhook_inbox_return_status_idx ON webhook_inbox (shop_id, (event->'data'->>'return_id'))
     WHERE kind = 'RETURN_STATUS_CHANGE'`,
  );
}
