import type { Knex } from 'knex';

// A seller's choices per shop (shopSettings/schema.ts), one row per shop that changed any (a shop without a row runs
// on the defaults, version 0), and an audit trail of every change: who (the API key's name and id), when, and the
// effective settings before and after. Written by db/shopSettings.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shop_settings', (t) => {
    t.string('shop_id', 64).primary().references('shop_id').inTable('shops').onDelete('CASCADE');
    t.jsonb('settings').notNullable();
    // Optimistic concurrency: PATCH with If-Match: <version> is refused (412) once someone else saved in between.
    t.integer('version').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('updated_by', 200).notNullable();
    t.uuid('updated_by_key_id');
  });

  await knex.schema.createTable('shop_settings_changes', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable().references('shop_id').inTable('shops').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.string('changed_by', 200).notNullable();
    // The key's id as well as its name: names are not unique, and a revoked key's row stays in api_keys.
    t.uuid('changed_by_key_id');
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('before').notNullable();
    t.jsonb('after').notNullable();
    t.unique(['shop_id', 'version']);
  });
}
