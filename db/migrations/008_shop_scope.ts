import type { Knex } from 'knex';

// Shop-scoped access (issue 13 item 1): an API key lists the shops it may act on (NULL: every shop, for agency-wide
// keys), and dead letters record the shop they concern where it can be derived, so a shop's key lists only its own.
// Notifications and webhook inbox rows already carry shop_id (002); rows without a shop are for agency-wide keys.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.specificType('shop_ids', 'text[]');
  });
  await knex.schema.alterTable('dead_letters', (t) => {
    t.string('shop_id', 64);
    t.index(['shop_id', 'id']);
  });
}
