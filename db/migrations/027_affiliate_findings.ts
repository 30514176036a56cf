import type { Knex } from 'knex';

// Issue 21: the affiliate commission audit (workflows/affiliateAudit/). One row per audit (a shop and a period), its
// findings (each with the money at stake and the affiliate order lines it rests on, by id: `<order_id>:<line_no>` of
// affiliate_order_lines, migration 026) and the actions proposed to a person. Finding and action ids are hashes of
// their business keys, so auditing a period again gives the same ids. Written by db/affiliateFindings.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('affiliate_audits', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('period_key', 32).notNullable();
    t.timestamp('period_from', { useTz: true }).notNullable();
    t.timestamp('period_to', { useTz: true }).notNullable();
    t.string('workflow_id', 200).notNullable();
    // 'computing' | 'awaiting_decisions' | 'completed' | 'failed'
    t.string('status', 24).notNullable();
    t.integer('lines_seen').notNullable().defaultTo(0);
    t.jsonb('summary').notNullable().defaultTo('{}');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.primary(['shop_id', 'period_key']);
  });

  await knex.schema.createTable('affiliate_findings', (t) => {
    t.string('id', 32).primary();
    t.string('shop_id', 64).notNullable();
    t.string('period_key', 32).notNullable();
    t.string('kind', 32).notNullable();
    t.string('order_id', 64);
    t.string('product_id', 64);
    t.string('creator_username', 128);
    t.string('collaboration_id', 64);
    t.decimal('money_at_stake', 18, 2).notNullable();
    t.string('currency', 3);
    t.specificType('source_line_ids', 'text[]').notNullable();
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id', 'period_key', 'kind', 'id'], 'affiliate_findings_period_idx');
  });

  // Each creator of the period as the audit measured them against the shop's targets: the findings rest on these, and
  // the Targeted Plan takes the creators who pass.
  await knex.schema.createTable('affiliate_creator_vetting', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('period_key', 32).notNullable();
    t.string('creator_username', 128).notNullable();
    t.string('creator_open_id', 128);
    t.integer('orders').notNullable();
    t.integer('tracked_orders').notNullable();
    t.integer('rto_orders').notNullable();
    t.specificType('rto_order_ids', 'text[]').notNullable();
    t.decimal('commission', 18, 2).notNullable();
    t.decimal('gmv', 18, 2).notNullable();
    t.string('currency', 3);
    t.decimal('gmv_per_view', 18, 6);
    t.boolean('rto_fail').notNullable();
    t.boolean('gpv_fail').notNullable();
    t.boolean('passes').notNullable();
    t.primary(['shop_id', 'period_key', 'creator_username']);
  });

  await knex.schema.createTable('affiliate_audit_actions', (t) => {
    t.string('id', 32).primary();
    t.string('shop_id', 64).notNullable();
    t.string('period_key', 32).notNullable();
    // 'remove_creator' | 'change_target_rate' | 'build_target_plan' | 'claim'
    t.string('kind', 32).notNullable();
    t.text('title').notNullable();
    t.jsonb('payload').notNullable();
    t.decimal('money_at_stake', 18, 2).notNullable().defaultTo(0);
    // 'proposed' | 'rejected' | 'expired' | 'calling' | 'applied' | 'not_needed' | 'task_done'
    t.string('status', 16).notNullable().defaultTo('proposed');
    t.string('decided_by', 200);
    t.timestamp('decided_at', { useTz: true });
    t.jsonb('result');
    t.integer('calls').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id', 'period_key'], 'affiliate_audit_actions_period_idx');
  });
}
