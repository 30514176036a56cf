import type { Knex } from 'knex';

// Reconciliation asks the webhook inbox whether an order's status was already delivered by its webhook (then the
// running workflow has been told, and signalling it again only costs the Temporal server work): index the order id
// of order-status events.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX webhook_inbox_order_status_idx ON webhook_inbox (shop_id, (event->'data'->>'order_id'))
     WHERE kind = 'ORDER_STATUS_CHANGE'`,
  );
}
