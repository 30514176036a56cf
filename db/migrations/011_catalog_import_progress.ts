import type { Knex } from 'knex';

// A catalog import runs in chunks (activities/catalogImport/index.ts importCatalog); each chunk's outcome (rows
// matched, rows rejected) is stored with the chunk's catalog_items in one transaction, keyed by the chunk's index, so an attempt
// that resumes from its heartbeat checkpoint, or redoes a chunk the checkpoint had not recorded yet, leaves one entry
// per chunk and the final report counts every row once.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('catalog_import_reports', (t) => {
    t.jsonb('progress').notNullable().defaultTo('{}');
  });
}
