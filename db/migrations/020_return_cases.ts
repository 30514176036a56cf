import type { Knex } from 'knex';

// Returns and refunds (workflows/returnRequest/workflow.ts): one row per return as the workflow last read it, and one
// per seller decision it took part in (who decided, through which channel, how long it took against TikTok's
// deadline). Written by the return's activities only (db/returnCases.ts); read shop-scoped by the API and the
// benchmark.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('return_cases', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('return_id', 64).notNullable();
    t.string('order_id', 64).notNullable();
    t.string('return_type', 32);
    t.string('reason', 200);
    // TikTok's refund total as it states it (a decimal string; numeric keeps it exact).
    t.decimal('refund_amount', 20, 4);
    t.string('refund_currency', 8);
    t.string('status', 64).notNullable();
    t.string('arbitration_status', 32);
    t.string('workflow_id', 200).notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Set when the workflow finished following the return (refunded, cancelled, rejection not escalated, arbitrated).
    t.timestamp('closed_at', { useTz: true });
    t.primary(['shop_id', 'return_id']);
    t.index(['shop_id', 'closed_at']);
  });

  await knex.schema.createTable('return_decisions', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('return_id', 64).notNullable();
    // The seller action answered (SELLER_RESPOND_REFUND, SELLER_RESPOND_RECEIVE_PACKAGE, …).
    t.string('action', 64).notNullable();
    t.timestamp('deadline', { useTz: true });
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    // decided_at − opened_at: how long the decision took (null while pending).
    t.bigInteger('latency_ms');
    t.string('channel', 16); // auto | person | platform
    t.string('decided_by', 200);
    t.string('decision', 64); // TikTok's decision value (APPROVE_REFUND, REJECT_RETURN, …)
    t.string('outcome', 32).notNullable(); // pending | approved | rejected | withdrawn | superseded | auto_approved_by_platform
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // One row per action of a return: a retried activity rewrites it.
    t.unique(['shop_id', 'return_id', 'action']);
    t.index(['shop_id', 'decided_at']);
  });
}
