import type { Knex } from 'knex';

// Issue 15 item 4: one file store for every process (evidence images first; bundles, certificates, reports later).
// Content addressed per shop: file_id is the SHA-256 of the plaintext, so the same bytes uploaded twice to one shop are
// one row (a second upload extends expires_at). The bytes are sealed with the secrets keyring (AES-256-GCM; key_id
// names the key, so keys can rotate). tiktok_image caches Upload Product Image's answer, so a retried activity does
// not upload the same evidence twice (activities/storedFiles/index.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stored_files', (t) => {
    t.string('shop_id', 64).notNullable();
    t.specificType('file_id', 'char(64)').notNullable();
    t.string('mime_type', 100).notNullable();
    t.integer('size_bytes').notNullable();
    t.integer('width');
    t.integer('height');
    t.string('purpose', 64).notNullable();
    t.string('key_id', 128).notNullable();
    t.binary('sealed').notNullable();
    t.string('created_by', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.jsonb('tiktok_image');
    t.primary(['shop_id', 'file_id']);
    t.index(['expires_at']);
  });
}
