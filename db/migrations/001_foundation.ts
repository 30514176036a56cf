import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary();
    t.string('name', 200).notNullable();
    t.enu('role', ['viewer', 'operator', 'admin'], { useNative: true, enumName: 'api_key_role' }).notNullable();
    // Only a SHA-256 of the key is stored; the prefix lets operators recognise a key without revealing it.
    t.string('key_hash', 64).notNullable().unique();
    t.string('key_prefix', 16).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.boolean('bootstrap').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('shops', (t) => {
    t.string('shop_id', 64).primary();
    t.string('region', 8).notNullable();
    // Display names are not buyer data; kept here so shops can be listed without a query per workflow.
    t.string('display_name', 200).notNullable();
    t.string('workflow_id', 200).notNullable();
    t.timestamp('registered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // Everything rejected at the edge (bad API bodies, forged or malformed webhooks) is kept here: nothing is lost.
  await knex.schema.createTable('dead_letters', (t) => {
    t.bigIncrements('id').primary();
    t.string('source', 64).notNullable();
    t.string('reason', 500).notNullable();
    t.jsonb('details');
    t.text('raw_body').notNullable();
    t.jsonb('headers').notNullable().defaultTo('{}');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('replayed_at', { useTz: true });
    t.index(['source', 'received_at']);
  });
}
