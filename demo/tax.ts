// Monthly sales tax (issue 20): the emulator seeds a month of the shop's orders across states (a state crossing its
// economic threshold mid-month, FBT stock arriving in Texas, refunds of the month before, samples, an over- and an
// under-charged line) and answers what it planted; the month is reported THROUGH the shop's Schedule (fired now, or
// back-filled when the seeded month is not the one before now), the report is approved by a person through the CLI
// (`steps decide`), and its seller-owed transactions are committed to the AvaTax emulator. TikTok collects on TikTok's
// orders (marketplace facilitator), so the seeded month alone owes nothing to commit: the seller's own website sales
// (registered in California, tax collected by the seller) and a refund of one are imported first through the sales
// import, as a user would send their CSV, and the commit is read back from AvaTax itself, not from our ledger.
import type { TaxSeedAnswer } from '../emulators/tiktok-shop/taxSeed';
import { saleTransactionCode } from '../integrations/taxEngines/types';
import { combinedPpm, rateFor } from '../tax/rateTable';
import type { TaxReportView } from '../workflows/monthlyTaxReport/messages';
import { taxPeriodOfFiring } from '../workflows/monthlyTaxReport/period';
import { cliJson } from './affiliate';
import { operatorKey } from './returns';
import { DemoError, seconds, type DemoScenario } from './scenario';

/** The seed's days are UTC days: the demo shop's tax months are cut in UTC too. */
const TIME_ZONE = 'UTC';

/** The seller's own-site sales: a ZIP the rate tables hold in CA (where the demo shop registers), a day, a price. */
const OWN_SALES = [
  { n: 1001, zip: '92618', day: '05', gross: 48 },
  { n: 1002, zip: '90012', day: '12', gross: 36.5 },
  { n: 1003, zip: '92618', day: '18', gross: 120 },
] as const;
/** The first sale comes back on the 22nd, whole. */
const REFUND = { of: 1001, day: '22' } as const;
const OWN_STATE = 'CA';

interface AvaTaxTransaction {
  code: string;
  type: string;
  status: string;
  customerCode: string;
  totalTax: number;
}

/** The month's own-site sales and the refund as the sales import's CSV (tax/salesImport.ts columns). */
function ownSalesCsv(month: string): { csv: string; orderIds: string[]; rows: number } {
  const header =
    'channel,order_id,line_id,kind,occurred_at,ship_to_state,ship_to_zip,quantity,gross,shipping,item_tax,collected_by,fulfilled_by,refund_of_line_id';
  const orderId = (n: number) => `SITE-${month}-${n}`;
  const tax = (zip: string, gross: number) =>
    (Math.round((gross * combinedPpm(rateFor(zip)!)) / 10_000) / 100).toFixed(2);
  const row = (n: number, kind: 'sale' | 'refund', day: string, zip: string, gross: number) =>
    [
      'website',
      orderId(n),
      '1',
      kind,
      `${month}-${day}`,
      OWN_STATE,
      zip,
      1,
      gross.toFixed(2),
      '0.00',
      kind === 'refund' ? `-${tax(zip, -gross)}` : tax(zip, gross),
      'seller',
      'seller',
      kind === 'refund' ? '1' : '',
    ].join(',');
  const refunded = OWN_SALES.find((o) => o.n === REFUND.of)!;
  const lines = [
    ...OWN_SALES.map((o) => row(o.n, 'sale', o.day, o.zip, o.gross)),
    row(REFUND.of, 'refund', REFUND.day, refunded.zip, -refunded.gross),
  ];
  return {
    csv: [header, ...lines].join('\n') + '\n',
    orderIds: OWN_SALES.map((o) => orderId(o.n)),
    rows: lines.length,
  };
}

/** Every transaction AvaTax holds for the company, through ListTransactionsByCompany ($top/$skip pages). */
async function avataxTransactions(ctx: Parameters<DemoScenario['run']>[0]): Promise<AvaTaxTransaction[]> {
  const company = encodeURIComponent(ctx.avataxCompany ?? 'DEFAULT');
  const all: AvaTaxTransaction[] = [];
  for (;;) {
    const page = (await ctx.avatax(`/companies/${company}/transactions?$top=1000&$skip=${all.length}`)) as {
      '@recordsetCount': number;
      value: AvaTaxTransaction[];
    };
    all.push(...page.value);
    if (page.value.length === 0 || all.length >= page['@recordsetCount']) return all;
  }
}

interface StepRow {
  id: string | number;
  caseId?: string;
  updateName?: string;
  context?: { hash?: string };
}

export const taxDemo: DemoScenario = {
  name: 'tax',
  summary:
    'a seeded month and imported own-site sales reported through the monthly Schedule (nexus crossed mid-month, planted tax differences), approved through the CLI, the own sales committed to AvaTax',
  async run(ctx) {
    const { shopId } = ctx.shop;
    const seed = (await ctx.emulator('/tax/seed', { shop_id: shopId })) as TaxSeedAnswer;
    const month = seed.month;
    ctx.log(
      `seeded ${month}: ${seed.orders} orders (${seed.saleLines} sale lines), ${seed.threshold.state} crossing its ` +
        `threshold on ${seed.threshold.crossingDay}, FBT stock in ${seed.fbt.state} from ${seed.fbt.arrivalDay}, ` +
        `${seed.taxCharges.length} planted tax differences`,
    );
    await ctx.api('PATCH', `/v1/shops/${shopId}/settings`, { tax: { engine: 'avatax', timeZone: TIME_ZONE } });
    // The seller's own website: registered in California, where it collects tax itself; its sales come in as CSV.
    await ctx.api('PUT', `/v1/shops/${shopId}/tax/registrations/${OWN_STATE}`, {
      permitNumber: 'DEMO-CA-1',
      filingFrequency: 'monthly',
      startDate: '2024-01-01',
    });
    const own = ownSalesCsv(month);
    const imported = await ctx.api('POST', `/v1/shops/${shopId}/tax/sales-imports`, own.csv, {
      headers: { 'content-type': 'text/csv' },
    });
    if (imported.json.accepted !== own.rows)
      throw new DemoError(
        `the sales import accepted ${imported.json.accepted} of ${own.rows} rows: ${JSON.stringify(imported.json.errors)}`,
      );
    ctx.log(
      `imported ${own.rows} own-site rows of ${month} (${OWN_SALES.length} sales, 1 refund) through the sales import`,
    );
    // The Schedule exists once the shop is authorized; PUT brings it to the settings just made (or creates it).
    await ctx.api('PUT', `/v1/shops/${shopId}/tax/schedule`, {});

    const startedAt = Date.now();
    const existing = await ctx.api('GET', `/v1/shops/${shopId}/tax/reports/${month}`, undefined, { accept: [404] });
    if (existing.status === 200) {
      // A month reported before (a second run of the demo): a firing would find it and start nothing; start it again.
      await cliJson(ctx, ['tax', 'report', 'start', month, '--shop', shopId]);
      ctx.log(`${month} was reported before: started again by hand`);
    } else if (taxPeriodOfFiring(new Date(), TIME_ZONE) === month) {
      await cliJson(ctx, ['tax', 'report', 'trigger', '--shop', shopId]);
      ctx.log(`fired the monthly Schedule now (it reports ${month})`);
    } else {
      await cliJson(ctx, ['tax', 'report', 'backfill', '--shop', shopId, '--from', month, '--to', month]);
      ctx.log(`back-filled the monthly Schedule for ${month}`);
    }
    const report = await ctx.until(
      `the report of ${month} waiting for approval`,
      async () => {
        const r = await ctx.api('GET', `/v1/shops/${shopId}/tax/reports/${month}`, undefined, { accept: [404] });
        return r.status === 200 && r.json.stage === 'awaiting_approval' ? (r.json as TaxReportView) : undefined;
      },
      240_000,
    );
    const summary = report.summary!;
    const reportMs = Date.now() - startedAt;
    if (summary.differences !== seed.taxCharges.length)
      throw new DemoError(
        `the report lists ${summary.differences} tax differences, the seed planted ${seed.taxCharges.length}`,
      );
    const crossed = summary.mustRegister.find((r) => r.state === seed.threshold.state);
    if (!crossed) throw new DemoError(`the report does not say the shop must register in ${seed.threshold.state}`);
    ctx.log(`report ${summary.reportId}: ${report.progress.lines} lines in ${seconds(reportMs)}`);

    const person = await operatorKey(ctx);
    try {
      const step = await ctx.until(
        'the approval step in `steps list`',
        async () => {
          const rows = await cliJson<StepRow[]>(
            ctx,
            ['steps', 'list', '--shop', shopId, '--kind', 'tax_report'],
            person.key,
          );
          return rows.find((r) => r.caseId === month && r.updateName === 'approveTaxReport');
        },
        30_000,
      );
      await cliJson(
        ctx,
        ['steps', 'decide', String(step.id), '--input', JSON.stringify({ hash: summary.hash })],
        person.key,
      );
    } finally {
      await person.revoke();
    }
    const done = await ctx.until(
      `the report of ${month} committed to AvaTax`,
      async () => {
        const r = await ctx.api('GET', `/v1/shops/${shopId}/tax/reports/${month}`);
        const view = r.json as TaxReportView;
        if (view.stage === 'commit_failed') throw new DemoError(`the commit failed: ${view.commit?.error}`);
        return view.stage === 'committed' ? view : undefined;
      },
      120_000,
    );
    const c = done.commit!;
    if (c.rejected > 0) throw new DemoError(`AvaTax refused ${c.rejected} of ${c.staged} transactions`);

    // What AvaTax holds, read back from it: our sales committed once each, the refund against its sale, and no
    // transaction of a TikTok order (TikTok collected on those).
    const held = await avataxTransactions(ctx);
    const saleCodes = new Set(own.orderIds.map(saleTransactionCode));
    const sales = held.filter((t) => saleCodes.has(t.code) && t.type === 'SalesInvoice');
    // A refund in AvaTax carries its sale's customer (the refund call copies it).
    const refundOf = sales.find((t) => t.code === saleTransactionCode(`SITE-${month}-${REFUND.of}`));
    const refunds = held.filter(
      (t) => t.type === 'ReturnInvoice' && sales.some((x) => x.customerCode === t.customerCode),
    );
    const tiktokIds = new Set([
      ...seed.taxCharges.map((x) => x.orderId),
      ...seed.refunds.map((x) => x.orderId),
      ...seed.samples.map((x) => x.orderId),
    ]);
    const tiktok = held.filter(
      (t) => t.customerCode.startsWith('tiktok:') || [...tiktokIds].some((id) => t.code === saleTransactionCode(id)),
    );
    if (tiktok.length > 0)
      throw new DemoError(`AvaTax holds TikTok orders as seller-owed: ${tiktok.map((t) => t.code).join(', ')}`);
    if (sales.length !== OWN_SALES.length || sales.some((t) => t.status !== 'Committed'))
      throw new DemoError(
        `AvaTax holds ${sales.map((t) => `${t.code} ${t.status}`).join(', ') || 'none'} of the ${OWN_SALES.length} imported sales`,
      );
    if (refunds.length !== 1 || refunds[0]!.customerCode !== refundOf?.customerCode)
      throw new DemoError(
        `AvaTax holds ${refunds.length} refunds of the imported sales (expected 1, of SITE-${month}-${REFUND.of})`,
      );
    const committed = [...sales, ...refunds];
    const tax = committed.reduce((t, x) => t + Math.round(x.totalTax * 100), 0) / 100;
    return (
      `${month} reported through the monthly Schedule in ${seconds(reportMs)}: ${summary.states} states, ` +
      `must register in ${crossed.state} (nexus from ${crossed.nexusFrom}, by ${crossed.mustRegisterBy}), ` +
      `${summary.differences} tax differences with TikTok's charges (as planted), seller-owed ` +
      `${summary.sellerOwedTransactions} transactions / ${summary.sellerOwedTax} USD; approved by ` +
      `${done.decision!.decidedBy.split(' ')[0]} through the CLI; imported ${own.rows} own-site rows, ` +
      `committed ${committed.length} transactions (${sales.length} sales, ${refunds.length} refund) to AvaTax as ` +
      `AvaTax holds them: tax ${tax.toFixed(2)} USD, 0 TikTok orders among them`
    );
  },
};
