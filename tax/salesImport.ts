// The other-channel sales import (issue 20 item 1): sales, refunds, samples and withdrawals of channels other than
// TikTok (own website, wholesale, other marketplaces) as CSV (a header row with the column names below) or JSON (an
// array of objects, or `{rows: [...]}`, with the same names). Every row is validated on its own: accepted rows become
// tax_sales_lines rows (source 'import'), a rejected row gets its errors (row number, field, message) and is kept in
// the dead-letter table by the route. TikTok's own orders come from the Finance API, so channel 'tiktok' is refused
// (it would count them twice). Pure: no I/O.
import { parse } from 'csv-parse/sync';
import zipcodes from 'zipcodes';
import { z } from 'zod';
import { lineFields, type TaxSalesLineInput } from '../db/taxSales';

export interface SalesImportError {
  /** 1-based data row (the CSV header is not counted). */
  row: number;
  field: string;
  message: string;
}

export interface SalesImportResult {
  accepted: TaxSalesLineInput[];
  rejected: { row: number; raw: Record<string, unknown>; errors: SalesImportError[] }[];
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const moneyText = z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'an amount such as 12.34');
const toMoneyText = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : blankToUndefined(v));
const money = z.preprocess(toMoneyText, moneyText);
const optionalMoney = z.preprocess(toMoneyText, moneyText.optional().default('0.00'));
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

const rowSchema = z.object({
  channel: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .refine((c) => c.toLowerCase() !== 'tiktok', 'TikTok orders come from the Finance API; import other channels only'),
  order_id: z.string().trim().min(1).max(128),
  line_id: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().trim().min(1).max(128)),
  kind: z.enum(['sale', 'refund', 'sample', 'withdrawal']),
  occurred_at: z.preprocess(
    (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? `${v.trim()}T12:00:00Z` : v),
    z.iso.datetime({ offset: true, message: 'an ISO date or instant (2026-10-15 or 2026-10-15T14:00:00Z)' }),
  ),
  ship_to_state: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'a two-letter state code')
    .transform((s) => s.toUpperCase()),
  ship_to_zip: z.preprocess(
    (v) => (typeof v === 'number' ? String(v).padStart(5, '0') : v),
    z
      .string()
      .trim()
      .regex(/^\d{5}(-\d{4})?$/, 'a ZIP code (12345 or 12345-6789)'),
  ),
  ship_to_city: optionalText(128),
  quantity: z.coerce.number().int('a whole number').min(0),
  gross: money,
  seller_discount: optionalMoney,
  platform_discount: optionalMoney,
  shipping: optionalMoney,
  item_tax: optionalMoney,
  shipping_tax: optionalMoney,
  collected_by: z.enum(['tiktok', 'seller', 'none']),
  exempt_reason: optionalText(64),
  fulfilled_by: z.enum(['fbt', 'seller', '3pl']),
  refund_of_line_id: optionalText(128),
  currency: z.preprocess(
    (v) => blankToUndefined(v) ?? 'USD',
    z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'a three-letter currency code')
      .transform((c) => c.toUpperCase()),
  ),
});
type Row = z.output<typeof rowSchema>;

/** Rules across fields: amounts' signs by kind, the ZIP in the state. */
function crossFieldErrors(r: Row): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const gross = Number(r.gross);
  if (r.kind === 'refund' && gross > 0) errors.push({ field: 'gross', message: 'a refund carries negative amounts' });
  if (r.kind !== 'refund' && gross < 0) errors.push({ field: 'gross', message: `a ${r.kind} cannot be negative` });
  if (r.kind === 'refund' && !r.refund_of_line_id) {
    errors.push({ field: 'refund_of_line_id', message: 'a refund names the line it refunds' });
  }
  const zipState = zipcodes.lookup(r.ship_to_zip.slice(0, 5))?.state;
  if (zipState && zipState !== r.ship_to_state) {
    errors.push({ field: 'ship_to_zip', message: `ZIP ${r.ship_to_zip} is in ${zipState}, not ${r.ship_to_state}` });
  }
  return errors;
}

/** The rows of a CSV (header row) or JSON (array, or `{rows}`) document; a document that does not parse throws. */
export function salesImportRows(format: 'csv' | 'json', source: string): Record<string, unknown>[] {
  if (format === 'csv') {
    return parse<Record<string, unknown>>(source, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  }
  const doc: unknown = JSON.parse(source);
  const rows = Array.isArray(doc) ? doc : (doc as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new Error('a JSON array of rows, or {"rows": [...]}');
  return rows.map((r) =>
    r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : {},
  );
}

/** Validates every row; accepted ones as tax_sales_lines input for `shopId`. */
export function validateSalesImport(shopId: string, rows: readonly Record<string, unknown>[]): SalesImportResult {
  const result: SalesImportResult = { accepted: [], rejected: [] };
  const seen = new Set<string>();
  rows.forEach((raw, i) => {
    const row = i + 1;
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({
        row,
        field: issue.path.join('.') || '(row)',
        message: issue.message,
      }));
      result.rejected.push({ row, raw, errors });
      return;
    }
    const r = parsed.data;
    const errors = crossFieldErrors(r).map((e) => ({ row, ...e }));
    const key = `${r.order_id}\u0000${r.line_id}\u0000${r.kind}`;
    if (seen.has(key)) errors.push({ row, field: 'line_id', message: 'this order, line and kind appear twice' });
    if (errors.length > 0) {
      result.rejected.push({ row, raw, errors });
      return;
    }
    seen.add(key);
    result.accepted.push({
      shopId,
      source: 'import',
      ...lineFields(r),
    });
  });
  return result;
}
