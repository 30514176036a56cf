import type { Knex } from 'knex';

// Evidence bundles (issue 16): one row per distinct PDF built for a case (a return, a chargeback, an appeal). The PDF
// itself is in stored_files (file_id: the SHA-256 of its bytes, sealed at rest); the same data renders to the same
// bytes, so a rebuild of an unchanged case finds its row again (unique shop, case, file). Written by
// db/evidenceBundles.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence_bundles', (t) => {
    t.uuid('bundle_id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('shop_id', 64).notNullable();
    t.string('case_kind', 32).notNullable();
    t.string('case_id', 128).notNullable();
    t.string('order_id', 64).notNullable();
    t.specificType('file_id', 'char(64)').notNullable();
    t.integer('page_count').notNullable();
    t.integer('size_bytes').notNullable();
    t.timestamp('data_as_of', { useTz: true }).notNullable();
    t.string('requested_by', 200).notNullable();
    t.timestamp('built_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'case_kind', 'case_id', 'file_id']);
    t.index(['shop_id', 'case_kind', 'case_id', 'built_at']);
  });
}
