import type { Knex } from 'knex';

// Category applications (issue 19, the categoryUngating workflow): one row per application round of a shop and
// category (round 1 the first application, then one per re-qualification before the documents expire), and one row
// per submission of the round's packet with TikTok's decision and its rejection reasons: the loop's history, bounded
// by the shop's `ungating.maxAttempts`. Written by db/categoryUngating.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('category_ungating_applications', (t) => {
    t.string('application_id', 200).primary();
    t.string('shop_id', 64).notNullable();
    t.string('category_id', 64).notNullable();
    t.integer('round').notNullable();
    t.string('workflow_id', 200).notNullable();
    t.string('requirement_key', 64).notNullable();
    t.string('stage', 40).notNullable();
    t.string('outcome', 20);
    t.specificType('required_types', 'text[]').notNullable().defaultTo('{}');
    // [{documentType, certificateId, expiresOn?}]: the vault documents the application uses.
    t.jsonb('documents').notNullable().defaultTo('[]');
    t.date('earliest_expiry');
    t.timestamp('requalify_at', { useTz: true });
    t.string('requested_by', 200);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.unique(['shop_id', 'category_id', 'round']);
    t.index(['shop_id', 'updated_at']);
  });
  await knex.schema.createTable('category_ungating_attempts', (t) => {
    t.string('application_id', 200)
      .notNullable()
      .references('application_id')
      .inTable('category_ungating_applications');
    t.integer('attempt').notNullable();
    t.specificType('packet_file_id', 'char(64)');
    t.timestamp('submitted_at', { useTz: true });
    t.string('submitted_by', 200);
    t.string('reference', 100);
    t.string('decision', 20);
    t.timestamp('decided_at', { useTz: true });
    t.string('decided_by', 200);
    t.specificType('reasons', 'text[]').notNullable().defaultTo('{}');
    t.primary(['application_id', 'attempt']);
  });
}
