import type { Knex } from 'knex';

// Issue 13 item 2. What an unauthenticated sender rejected costs us is bounded: its dead letters keep a hash, the
// first 4 KB and a count (one row per source, address and body), never the raw body. The retention Schedule
// (workflows/retention/workflow.ts) deletes old rows in bounded batches by these indexes.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dead_letters', (t) => {
    t.specificType('body_sha256', 'char(64)');
    t.integer('body_bytes');
    // false: only the first 4 KB of the body are in raw_body (an unauthenticated sender).
    t.boolean('raw_kept').notNullable().defaultTo(true);
    t.integer('count').notNullable().defaultTo(1);
    t.timestamp('last_received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('remote_address', 64).notNullable().defaultTo('');
    t.index(['last_received_at']);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX dead_letters_unauthenticated_idx ON dead_letters (source, remote_address, body_sha256)
     WHERE NOT raw_kept`,
  );
  await knex.raw(
    `CREATE INDEX webhook_inbox_done_idx ON webhook_inbox (received_at) WHERE status IN ('routed', 'skipped')`,
  );
  await knex.schema.alterTable('warehouse_outbox', (t) => {
    t.index(['updated_at']);
  });
}
