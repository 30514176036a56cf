import type { Knex } from 'knex';

// Issue 20 item 3: the monthly tax report. `tax_reports` holds one row per build of a shop's month: while it is built
// (status 'building') its running totals and the last line id read, so the build resumes where an activity call
// stopped; once finished, its inputs digest, the rule versions used, its outputs and the hash chaining it to the
// shop's previous report (hash over inputs digest + rule versions + outputs digest + previous hash). A rebuild of a
// month is a new row beside the earlier one ('same' or 'differs'), never an overwrite. `tax_report_states` holds the
// per-state return lines, `tax_report_differences` the lines whose charged tax differs from the recomputation, and
// `tax_report_seller_lines` the seller-owed lines the approved report commits to a tax engine.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tax_reports', (t) => {
    t.string('id', 64).primary();
    t.string('shop_id', 64).notNullable();
    t.string('period', 7).notNullable(); // YYYY-MM
    t.string('time_zone', 64).notNullable();
    // building | draft | approved | committed | rejected | expired | abandoned
    t.string('status', 16).notNullable();
    t.integer('build_no').notNullable();
    t.bigInteger('cursor').notNullable().defaultTo(0); // last tax_sales_lines.id read
    t.integer('lines_seen').notNullable().defaultTo(0);
    t.jsonb('progress').notNullable(); // the running totals while building
    t.string('inputs_digest', 64);
    t.jsonb('rule_versions');
    t.jsonb('outputs');
    t.string('outputs_digest', 64);
    t.string('csv_file_id', 64);
    t.string('pdf_file_id', 64);
    t.string('hash', 64);
    t.string('previous_hash', 64);
    t.string('rebuild', 8); // first | same | differs
    t.string('rebuild_of', 64); // the earlier build of the month compared with
    t.string('status_by', 128);
    t.timestamp('status_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.unique(['shop_id', 'period', 'build_no']);
    t.index(['shop_id', 'finished_at']);
  });
  // One chain per shop: no two finished reports follow the same one (a fork would hide a report).
  await knex.raw(
    `create unique index tax_reports_chain on tax_reports (shop_id, coalesce(previous_hash, '')) where hash is not null`,
  );

  await knex.schema.createTable('tax_report_states', (t) => {
    t.string('report_id', 64).notNullable().references('id').inTable('tax_reports').onDelete('CASCADE');
    t.specificType('state', 'char(2)').notNullable();
    t.string('group', 16).notNullable(); // registered_due | registered_zero | monitored
    t.decimal('gross', 16, 2).notNullable();
    t.decimal('marketplace_deduction', 16, 2).notNullable();
    t.decimal('exempt', 16, 2).notNullable();
    t.decimal('taxable', 16, 2).notNullable();
    t.decimal('tax_due', 16, 2).notNullable();
    t.date('nexus_from');
    t.date('must_register_by');
    t.date('due_date');
    t.jsonb('line').notNullable(); // the whole return line (tax/returnLines.ts StateReturnLine) and nexus
    t.primary(['report_id', 'state']);
  });

  await knex.schema.createTable('tax_report_differences', (t) => {
    t.string('report_id', 64).notNullable().references('id').inTable('tax_reports').onDelete('CASCADE');
    t.bigInteger('line_ref').notNullable(); // tax_sales_lines.id
    t.string('order_id', 128).notNullable();
    t.string('line_id', 128).notNullable();
    t.specificType('state', 'char(2)').notNullable();
    t.string('zip', 10).notNullable();
    t.date('day').notNullable();
    t.decimal('charged', 14, 2).notNullable();
    t.decimal('expected', 14, 2).notNullable();
    t.decimal('difference', 14, 2).notNullable();
    t.primary(['report_id', 'line_ref']);
  });

  await knex.schema.createTable('tax_report_seller_lines', (t) => {
    t.string('report_id', 64).notNullable().references('id').inTable('tax_reports').onDelete('CASCADE');
    t.bigInteger('line_ref').notNullable();
    t.string('kind', 8).notNullable(); // sale | refund
    // The engine transaction the line belongs to: the order for a sale, the order and refund day for a refund.
    t.string('txn_key', 160).notNullable();
    t.jsonb('line').notNullable(); // tax/classify.ts ReportLine and its class
    t.primary(['report_id', 'line_ref']);
    t.index(['report_id', 'kind', 'txn_key', 'line_ref']);
  });
}
