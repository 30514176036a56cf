import type { Knex } from 'knex';

// Outward delivery of a notification is a workflow of its own (workflows/notificationDelivery/workflow.ts) that retries; the
// row counts its attempts so operators see a dead chat URL in GET /v1/notifications.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.integer('delivery_attempts').notNullable().defaultTo(0);
  });
}
