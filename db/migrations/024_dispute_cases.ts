import type { Knex } from 'knex';

// Chargebacks and appeals of decided disputes (workflows/chargeback, workflows/disputeAppeal): one row per case as its
// workflow last recorded it — the notice or decision it was opened from, its deadline, the evidence bundle, the
// submission in Seller Center and the outcome. Written by the workflows' activities only (db/disputeCases.ts); read
// shop-scoped by the API (the list) and after Temporal no longer keeps a closed case's history.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dispute_cases', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('case_kind', 32).notNullable(); // chargeback | dispute_appeal
    t.string('case_id', 64).notNullable(); // the chargeback id, or the decided dispute's id
    t.string('order_id', 64).notNullable();
    t.string('return_id', 64);
    t.string('workflow_id', 200).notNullable();
    t.string('reason', 200);
    // The amount at stake as the notice states it (a decimal string; numeric keeps it exact).
    t.decimal('amount', 20, 4);
    t.string('currency', 8);
    // The notice's date (chargeback) or the decision's time (appeal): what the deadline runs from.
    t.timestamp('opened_from', { useTz: true }).notNullable();
    t.timestamp('deadline', { useTz: true }).notNullable();
    t.string('stage', 32).notNullable();
    // What the case was opened with that has no column of its own (issuer, network, the dispute's decision text).
    t.jsonb('details').notNullable().defaultTo('{}');
    t.string('bundle_id', 64);
    t.timestamp('submitted_at', { useTz: true });
    t.string('submitted_by', 200);
    t.string('submission_reference', 200);
    t.string('outcome', 32); // won | lost | partially_won | expired
    t.decimal('amount_recovered', 20, 4);
    t.string('outcome_by', 200);
    t.string('opened_by', 200).notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.primary(['shop_id', 'case_kind', 'case_id']);
    t.index(['shop_id', 'case_kind', 'deadline']);
  });
}
