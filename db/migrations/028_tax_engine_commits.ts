import type { Knex } from 'knex';

// Issue 20: committing a month's seller-owed transactions to AvaTax or TaxJar, resumably and without duplicates.
// `tax_seller_owed_transactions` holds what the approved month commits (written when the month is approved: one row
// per sale or refund, its JSON as integrations/taxEngines/types.ts defines it, never a TikTok-facilitated line), read
// in id order by a cursor; `tax_engine_commits` is the ledger of what each engine has taken, keyed by
// (shop, engine, period, transaction code), so a retried or resumed commit skips what is already there.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tax_seller_owed_transactions', (t) => {
    t.bigIncrements('id').primary();
    t.string('shop_id', 64).notNullable();
    t.string('period', 7).notNullable(); // YYYY-MM
    t.string('transaction_code', 64).notNullable();
    t.string('kind', 8).notNullable(); // sale | refund
    t.string('order_id', 64).notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'period', 'transaction_code']);
    t.index(['shop_id', 'period', 'id']);
  });

  await knex.schema.createTable('tax_engine_commits', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('engine', 16).notNullable(); // avatax | taxjar
    t.string('period', 7).notNullable();
    t.string('transaction_code', 64).notNullable();
    t.string('kind', 8).notNullable();
    t.string('order_id', 64).notNullable();
    // committed: the engine holds it; rejected: the engine refused this transaction (error says why), not retried.
    t.string('status', 16).notNullable();
    t.string('action', 16).notNullable(); // created | adjusted | updated | existing | failed
    t.decimal('engine_tax', 14, 2);
    t.decimal('collected_tax', 14, 2);
    t.jsonb('jurisdictions');
    t.text('error');
    t.timestamp('committed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'engine', 'period', 'transaction_code']);
  });
}
