import type { Knex } from 'knex';

// One record per decision a person takes inside a process (docs/case-contract.md): which workflow waits, which
// Temporal update carries the answer, what the answer must look like, when it is due, and who decided when. It
// generalises the order workflow's ops_tasks (004_orders), whose rows move here; ops_tasks goes. Nothing is released
// yet, so no reader of ops_tasks outside this repository has to be kept working.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('human_steps', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    // The case the step belongs to: kind (order_cancellation, order_dispatch, return, …) and the business id.
    t.string('case_kind', 64).notNullable();
    t.string('case_id', 128).notNullable();
    t.string('workflow_id', 255).notNullable();
    t.string('step_key', 200).notNullable();
    // The update the decision is sent as (POST /v1/human-steps/:id/decision), with input_schema describing its body.
    t.string('update_name', 100).notNullable();
    t.text('title').notNullable();
    t.jsonb('input_schema').notNullable().defaultTo('{}');
    t.jsonb('context').notNullable().defaultTo('{}');
    t.string('severity', 16).notNullable().defaultTo('warning');
    t.timestamp('due_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.string('outcome', 16);
    t.string('decided_by', 200);
    t.timestamp('decided_at', { useTz: true });
    t.jsonb('decision');
    // A retried activity never opens the same step twice.
    t.unique(['workflow_id', 'step_key']);
  });
  await knex.raw(
    `ALTER TABLE human_steps ADD CONSTRAINT human_steps_outcome_check
       CHECK (outcome IN ('decided', 'auto', 'expired', 'withdrawn', 'superseded'))`,
  );
  await knex.raw(
    `ALTER TABLE human_steps ADD CONSTRAINT human_steps_closed_check CHECK ((closed_at IS NULL) = (outcome IS NULL))`,
  );
  // The open steps by due time: what GET /v1/human-steps?open=true and the CLI list.
  await knex.raw('CREATE INDEX human_steps_open_due_idx ON human_steps (due_at, id) WHERE closed_at IS NULL');
  await knex.raw('CREATE INDEX human_steps_case_idx ON human_steps (case_kind, case_id)');

  // The order workflow's ops tasks: a cancellation question to the warehouse, or a dispatch escalation.
  await knex.raw(`
    INSERT INTO human_steps (shop_id, case_kind, case_id, workflow_id, step_key, update_name, title, context,
                             severity, due_at, created_at, closed_at, outcome)
    SELECT shop_id,
           CASE WHEN kind LIKE 'cancellation:%' THEN 'order_cancellation' ELSE 'order_dispatch' END,
           coalesce(order_id, ''),
           'order:' || shop_id || ':' || coalesce(order_id, ''),
           kind,
           CASE WHEN kind LIKE 'cancellation:%' THEN 'cancellationDecision' ELSE 'shipped' END,
           CASE WHEN kind LIKE 'cancellation:%' THEN 'Buyer asks to cancel order ' || coalesce(order_id, '')
                ELSE 'Order ' || coalesce(order_id, '') || ': ' || kind END,
           jsonb_build_object('migratedFrom', 'ops_tasks', 'orderId', order_id),
           CASE WHEN kind = 'late_dispatch' THEN 'critical' ELSE 'warning' END,
           due_at, created_at, done_at,
           CASE WHEN done_at IS NULL THEN NULL ELSE 'superseded' END
      FROM ops_tasks
    ON CONFLICT (workflow_id, step_key) DO NOTHING`);
  await knex.schema.dropTable('ops_tasks');
}
