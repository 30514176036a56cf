import type { Knex } from 'knex';

// The TikTok Shop rate budget shared by every worker process (integrations/tiktok/rateBudget.ts).
export async function up(knex: Knex): Promise<void> {
  // One token bucket per (shop, API): `api` is the method and path template (`apiBucketOf`; per API family before
  // 2026-11-28, whose rows are left unused). Refilled continuously from the database clock. `tokens` may be
  // negative: tokens already promised to calls that leave a few milliseconds later.
  await knex.schema.createTable('rate_budget_buckets', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('api', 100).notNullable();
    t.double('tokens').notNullable();
    t.timestamp('refilled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'api']);
  });

  // One row per pending acquire. Served in (deadline NULLS LAST, enqueued_at, id) order; `granted_at` is when the
  // token it was given exists; rows whose heartbeat stopped (process died) are purged.
  await knex.schema.createTable('rate_budget_waiters', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('api', 100).notNullable();
    t.timestamp('deadline', { useTz: true });
    t.timestamp('enqueued_at', { useTz: true }).notNullable().defaultTo(knex.raw('clock_timestamp()'));
    t.timestamp('heartbeat_at', { useTz: true }).notNullable().defaultTo(knex.raw('clock_timestamp()'));
    t.string('owner', 200).notNullable();
    t.timestamp('granted_at', { useTz: true });
  });
  await knex.raw(
    `CREATE INDEX rate_budget_waiters_queue ON rate_budget_waiters
       (shop_id, api, deadline ASC NULLS LAST, enqueued_at, id) WHERE granted_at IS NULL`,
  );
  await knex.raw('CREATE INDEX rate_budget_waiters_heartbeat ON rate_budget_waiters (shop_id, api, heartbeat_at)');
}
