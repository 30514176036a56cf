import type { Knex } from 'knex';

// The certificate vault (issue 19): one row per document a shop keeps for category qualification, with the metadata
// the uploader entered. The bytes are in stored_files (file_id: the SHA-256, sealed at rest). Deleting is soft
// (deleted_at, deleted_by): an application may have been sent with the document, so the record stays for audit.
// Written by db/certificates.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('certificates', (t) => {
    t.uuid('certificate_id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('shop_id', 64).notNullable();
    t.specificType('file_id', 'char(64)').notNullable();
    t.string('mime_type', 64).notNullable();
    t.integer('size_bytes').notNullable();
    t.string('document_type', 64).notNullable();
    t.string('issuer', 200);
    t.string('product', 200);
    t.string('lot', 100);
    t.string('identifier', 100);
    t.date('issued_on');
    t.date('expires_on');
    t.specificType('categories', 'text[]').notNullable().defaultTo('{}');
    t.string('note', 1000);
    t.string('created_by', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('updated_by', 200);
    t.timestamp('updated_at', { useTz: true });
    t.string('deleted_by', 200);
    t.timestamp('deleted_at', { useTz: true });
    t.index(['shop_id', 'document_type']);
    t.index(['shop_id', 'expires_on']);
  });
}
