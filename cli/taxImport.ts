// `tax import <file> --shop <shopId>`: other-channel sales for the tax report (POST /v1/shops/:shopId/tax/sales-imports),
// a .csv (header row) or .json file; prints the per-row errors and exits 1 when a row was rejected.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { OpsApiClient } from './apiClient';
import { table } from './format';

export interface SalesImportAnswer {
  shopId: string;
  rows: number;
  accepted: number;
  rejected: number;
  errors: { row: number; field: string; message: string }[];
}

/** Some rows were refused (the accepted ones are in). */
export class RowsRejected extends Error {
  override name = 'RowsRejected';
}

export function formatSalesImport(out: SalesImportAnswer): string {
  const head = `Shop ${out.shopId}: ${out.accepted} of ${out.rows} rows imported, ${out.rejected} rejected`;
  if (out.errors.length === 0) return head;
  return `${head}\n${table(
    ['row', 'field', 'error'],
    out.errors.map((e) => [String(e.row), e.field, e.message]),
  )}`;
}

/** Adds `tax import` under the program's `tax` command (created by cli/tax.ts, or here when absent). */
export function addTaxImportCommand(
  program: Command,
  api: () => OpsApiClient,
  print: (cmd: Command, value: unknown, text: () => string) => void,
): void {
  const tax = program.commands.find((c) => c.name() === 'tax') ?? program.command('tax').description('Sales tax');
  tax
    .command('import <file>')
    .description('Imports sales of other channels (CSV with a header row, or JSON) for the tax report')
    .requiredOption('--shop <shopId>', 'the shop the sales belong to')
    .action(async (file: string, opts: { shop: string }, cmd: Command) => {
      const text = await fs.readFile(file, 'utf8');
      const url = `/v1/shops/${encodeURIComponent(opts.shop)}/tax/sales-imports`;
      const out =
        path.extname(file).toLowerCase() === '.json'
          ? await api().post<SalesImportAnswer>(url, JSON.parse(text))
          : await api().postText<SalesImportAnswer>(url, text, 'text/csv');
      print(cmd, out, () => formatSalesImport(out));
      // Exit code 1: a script importing a file learns that some rows did not go in (they are listed above).
      if (out.rejected > 0) throw new RowsRejected(`${out.rejected} of ${out.rows} rows rejected`);
    });
}
