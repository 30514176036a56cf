import type { Knex } from 'knex';

// The seller's sales-tax registrations (issue 20 item 2): one row per shop and state, entered by a person through the
// API (permit number, the filing frequency the state assigned, the first day the registration applies). The monthly
// tax report reads them to tell registered from monitored states and to list due dates (tax/filingCalendar.ts).
// Written by db/taxRegistrations.ts only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tax_registrations', (t) => {
    t.string('shop_id', 64).notNullable();
    t.string('state', 2).notNullable();
    t.string('permit_number', 64).notNullable();
    t.string('filing_frequency', 16).notNullable();
    t.date('start_date').notNullable();
    t.string('updated_by', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'state']);
  });
  await knex.raw(
    `alter table tax_registrations add constraint tax_registrations_frequency
       check (filing_frequency in ('monthly', 'quarterly', 'semiannual', 'annual'))`,
  );
}
