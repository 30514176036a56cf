import type { Knex } from 'knex';

// Suspension appeals (workflows/suspensionAppeal): one row per notice as its workflow last recorded it — the notice,
// a refusal and why, the appeal window, the round (1, or 2 after a denial), the submission in Seller Center and
// TikTok's decision — and every version of every Plan of Action (the draft, each person's edit, the revision after a
// denial), kept so two versions can be compared through the API. Written by the workflow's activities only
// (db/suspensionAppeals.ts); read shop-scoped by the API and after Temporal no longer keeps a closed appeal's history.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('suspension_appeals', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('notice_id', 64).notNullable();
    t.string('workflow_id', 200).notNullable();
    // The notice as entered (reason, date, region, violated policy, the metrics TikTok quoted).
    t.jsonb('notice').notNullable();
    t.string('stage', 32).notNullable();
    t.smallint('round').notNullable().defaultTo(1);
    // Set when the appeal cannot help (counterfeit, intellectual property, prohibited products): why, where to go.
    t.jsonb('refusal');
    t.timestamp('window_closes_at', { useTz: true });
    t.text('window_source');
    // The version a person approved for the current round.
    t.integer('approved_version');
    t.timestamp('submitted_at', { useTz: true });
    t.string('submitted_by', 200);
    t.string('submission_reference', 200);
    t.string('decision', 16); // approved | denied
    t.string('decision_reason', 1000);
    t.string('decided_by', 200);
    // The decisions of earlier rounds (the first appeal's denial once the revision is under way).
    t.jsonb('rounds').notNullable().defaultTo('[]');
    t.string('opened_by', 200).notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.primary(['shop_id', 'notice_id']);
    t.index(['shop_id', 'closed_at']);
  });

  await knex.schema.createTable('suspension_appeal_versions', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('notice_id', 64).notNullable();
    // Numbered across the appeal (1, 2, …), whatever the round.
    t.integer('version').notNullable();
    t.smallint('round').notNullable();
    t.string('kind', 16).notNullable(); // draft | edit | revision
    t.jsonb('plan').notNullable();
    // What the revised appeal states changed since the first (round 2 only).
    t.jsonb('changes_since_first');
    t.string('note', 1000);
    t.string('created_by', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    // The rendered PDF in the file store (files/fileStore.ts) and the evidence it was built from.
    t.string('file_id', 64);
    t.string('sha256', 64);
    t.integer('page_count');
    t.string('evidence_file_id', 64);
    t.primary(['shop_id', 'notice_id', 'version']);
  });
}
