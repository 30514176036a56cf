/**
 * The monthly tax report as CSV and as a PDF (issue 20 item 3), from the finished report's outputs. Pure: the same
 * outputs always give the same text and the same PdfDoc (its date is the first instant after the month, never the
 * clock), so a rebuild with the same result stores the same files. Neither holds the report's id or hash (both are
 * known only once the files are stored): they carry the inputs and outputs digests the hash is made of.
 */
import type { PdfDoc, PdfSection } from '../pdf/render';
import { money } from './classify';
import { firstOfMonthAfter } from './days';
import type { JurisdictionLine, StateReturnLine } from './returnLines';
import type { DifferenceRow, TaxReportOutputs } from './reportModel';

export interface ReportDocumentInput {
  shopId: string;
  outputs: TaxReportOutputs;
  /** The differences to list (largest first); outputs.differences.count says how many there are in all. */
  differences: readonly DifferenceRow[];
  inputsDigest: string;
  outputsDigest: string;
}

/** Rate in ppm as a percentage with up to four decimals ("6.25%"). */
export const percent = (ppm: number): string => `${Number((ppm / 10_000).toFixed(4))}%`;

export const CSV_COLUMNS = [
  'record',
  'state',
  'group',
  'jurisdiction',
  'jurisdiction_type',
  'reporting_code',
  'rate',
  'gross',
  'marketplace_deduction',
  'exempt',
  'non_taxable',
  'taxable',
  'seller_tax',
  'use_tax_base',
  'use_tax',
  'vendor_discount',
  'tax_due',
  'seller_collected',
  'marketplace_tax_collected',
  'refunds',
  'nexus_from',
  'must_register_by',
  'filing_frequency',
  'due_date',
  'order_id',
  'line_id',
  'zip',
  'day',
  'charged',
  'expected',
  'difference',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed
 * with an apostrophe, as OWASP advises for CSV injection (https://owasp.org/www-community/attacks/CSV_Injection);
 * amounts are never touched.
 */
function field(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const row = (values: Partial<Record<Column, string>>): string =>
  CSV_COLUMNS.map((c) => field(values[c] ?? '')).join(',');

function jurisdictionRows(s: StateReturnLine): string[] {
  const merged = new Map<string, { j: JurisdictionLine; use?: JurisdictionLine }>();
  const key = (j: JurisdictionLine) => `${j.kind}|${j.name}|${j.ppm}|${j.reportingCode ?? ''}`;
  for (const j of s.jurisdictions) merged.set(key(j), { j });
  for (const u of s.useTaxJurisdictions) {
    const m = merged.get(key(u));
    if (m) m.use = u;
    else merged.set(key(u), { j: { ...u, baseCents: 0, taxCents: 0 }, use: u });
  }
  return [...merged.values()].map(({ j, use }) =>
    row({
      record: 'jurisdiction',
      state: s.state,
      group: s.group,
      jurisdiction: j.name,
      jurisdiction_type: j.kind,
      reporting_code: j.reportingCode ?? '',
      rate: percent(j.ppm),
      taxable: money(j.baseCents),
      seller_tax: money(j.taxCents),
      use_tax_base: money(use?.baseCents ?? 0),
      use_tax: money(use?.taxCents ?? 0),
    }),
  );
}

/** The report as CSV: a row per state, a row per state and jurisdiction, a row per listed difference. */
export function reportCsv(input: ReportDocumentInput): string {
  const out: string[] = [CSV_COLUMNS.join(',')];
  const nexus = new Map(input.outputs.nexus.map((n) => [n.state, n]));
  for (const s of input.outputs.states) {
    const n = nexus.get(s.state);
    out.push(
      row({
        record: 'state',
        state: s.state,
        group: s.group,
        gross: money(s.grossCents),
        marketplace_deduction: money(s.marketplaceDeductionCents),
        exempt: money(s.exemptCents),
        non_taxable: money(s.nonTaxableCents),
        taxable: money(s.taxableCents),
        seller_tax: money(s.sellerTaxCents),
        use_tax_base: money(s.useTaxBaseCents),
        use_tax: money(s.useTaxCents),
        vendor_discount: money(s.vendorDiscountCents),
        tax_due: money(s.taxDueCents),
        seller_collected: money(s.sellerCollectedCents),
        marketplace_tax_collected: money(s.marketplaceTaxCollectedCents),
        refunds: money(s.refundCents),
        nexus_from: n?.nexusFrom ?? '',
        must_register_by: n?.mustRegisterBy ?? '',
        filing_frequency: s.filing?.frequency ?? '',
        due_date: s.filing?.due ?? '',
      }),
    );
    out.push(...jurisdictionRows(s));
  }
  for (const d of input.differences) {
    out.push(
      row({
        record: 'difference',
        state: d.state,
        order_id: d.orderId,
        line_id: d.lineId,
        zip: d.zip,
        day: d.day,
        charged: money(d.chargedCents),
        expected: money(d.expectedCents),
        difference: money(d.differenceCents),
      }),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}

const GROUP_WORDS = {
  registered_due: 'registered, tax due',
  registered_zero: 'registered, zero or deduction-only return',
  monitored: 'not registered, monitored',
} as const;

/** The report as a PdfDoc for pdf/render.ts. */
export function reportPdfDoc(input: ReportDocumentInput): PdfDoc {
  const o = input.outputs;
  const total = (f: (s: StateReturnLine) => number) => money(o.states.reduce((a, s) => a + f(s), 0));
  const sections: PdfSection[] = [
    {
      heading: 'Summary',
      blocks: [
        {
          kind: 'fields',
          rows: [
            ['Shop', input.shopId],
            ['Period', `${o.period} (${o.timeZone})`],
            ['Lines read', String(o.lines)],
            [
              'By class',
              `TikTok-facilitated ${o.byClass.marketplace}, seller-collected ${o.byClass.seller}, exempt ${o.byClass.exempt}, samples and withdrawals ${o.byClass.use_tax}`,
            ],
            ['Seller tax due (all states)', total((s) => s.taxDueCents)],
            ['Tax TikTok collected (informational)', total((s) => s.marketplaceTaxCollectedCents)],
            ['Seller-owed transactions', `${o.sellerOwed.transactions} (${o.sellerOwed.lines} lines)`],
            [
              'Differences in TikTok-charged tax',
              `${o.differences.count} (over-charged ${money(o.differences.overCents)}, under-charged ${money(o.differences.underCents)})`,
            ],
            ['Rate table', `${o.rateTableVersion} (synthetic, seeded ZIPs only)`],
            ['Inputs digest', input.inputsDigest],
            ['Outputs digest', input.outputsDigest],
          ],
        },
        {
          kind: 'paragraph',
          text: 'Neither AvaTax nor TaxJar files returns through a public API: after approval the seller-owed transactions are committed to the engine the filing service works from. TikTok-facilitated sales are never the seller’s liability; they appear as gross sales and the marketplace deduction.',
        },
      ],
    },
    {
      heading: 'Registration required',
      blocks:
        o.mustRegister.length === 0
          ? [{ kind: 'paragraph', text: 'No state where the shop is not registered has nexus in this period.' }]
          : [
              {
                kind: 'table',
                columns: ['State', 'Nexus', 'Nexus from', 'Register by'],
                rows: o.mustRegister.map((m) => [m.state, m.kind, m.nexusFrom, m.mustRegisterBy]),
              },
            ],
    },
    {
      heading: 'Return lines by state',
      note: 'Amounts in USD; refunds are in the month they were made.',
      blocks: [
        {
          kind: 'table',
          columns: ['State', 'Group', 'Gross', 'Marketplace', 'Exempt', 'Taxable', 'Use tax', 'Tax due', 'Due'],
          rows: o.states.map((s) => [
            s.state,
            GROUP_WORDS[s.group],
            money(s.grossCents),
            money(s.marketplaceDeductionCents),
            money(s.exemptCents),
            money(s.taxableCents),
            money(s.useTaxCents),
            money(s.taxDueCents),
            s.filing ? `${s.filing.due} (${s.filing.frequency})` : '',
          ]),
        },
      ],
    },
    {
      heading: 'Seller tax by jurisdiction',
      blocks: [
        {
          kind: 'table',
          columns: ['State', 'Jurisdiction', 'Code', 'Rate', 'Taxable', 'Tax'],
          rows: o.states.flatMap((s) =>
            s.jurisdictions.map((j) => [
              s.state,
              j.name,
              j.reportingCode ?? '',
              percent(j.ppm),
              money(j.baseCents),
              money(j.taxCents),
            ]),
          ),
        },
      ],
    },
    {
      heading: 'Differences in the tax TikTok charged',
      note:
        o.differences.count > input.differences.length
          ? `The ${input.differences.length} largest of ${o.differences.count}; the CSV lists the same ones.`
          : `All ${o.differences.count}.`,
      blocks: [
        {
          kind: 'table',
          columns: ['Order', 'Line', 'State', 'ZIP', 'Day', 'Charged', 'Expected', 'Difference'],
          rows: input.differences.map((d) => [
            d.orderId,
            d.lineId,
            d.state,
            d.zip,
            d.day,
            money(d.chargedCents),
            money(d.expectedCents),
            money(d.differenceCents),
          ]),
        },
      ],
    },
    {
      heading: 'History not covered',
      blocks: [
        {
          kind: 'paragraph',
          text:
            o.historyGaps.length === 0
              ? 'The history covers every window the nexus tests read.'
              : `The nexus tests needed these days, which the fetched or imported history does not cover: ${o.historyGaps.map((g) => `${g.from} to ${g.to}`).join('; ')}. A nexus found may have begun earlier, and one not found may exist.`,
        },
      ],
    },
    {
      heading: 'Flags',
      blocks:
        o.flags.length === 0
          ? [{ kind: 'paragraph', text: 'None.' }]
          : o.flags.map((text) => ({ kind: 'paragraph' as const, text })),
    },
  ];
  return {
    title: `Sales tax report ${o.period}`,
    subtitle: `Shop ${input.shopId}`,
    createdAt: new Date(`${firstOfMonthAfter(`${o.period}-01`, 1)}T00:00:00Z`),
    author: 'tiktok-shop-ops',
    sections,
  };
}
