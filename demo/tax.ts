// Monthly sales tax (issue 20): the emulator seeds a month of the shop's orders across states (a state crossing its
// economic threshold mid-month, FBT stock arriving in Texas, refunds of the month before, samples, an over- and an
// under-charged line) and answers what it planted; the month is reported THROUGH the shop's Schedule (fired now, or
// back-filled when the seeded month is not the one before now), the report is approved by a person through the CLI
// (`steps decide`), and its seller-owed transactions are committed to the AvaTax emulator.
import type { TaxSeedAnswer } from '../emulators/tiktok-shop/taxSeed';
import type { TaxReportView } from '../workflows/monthlyTaxReport/messages';
import { taxPeriodOfFiring } from '../workflows/monthlyTaxReport/period';
import { cliJson } from './affiliate';
import { operatorKey } from './returns';
import { DemoError, seconds, type DemoScenario } from './scenario';

/** The seed's days are UTC days: the demo shop's tax months are cut in UTC too. */
const TIME_ZONE = 'UTC';

interface StepRow {
  id: string | number;
  caseId?: string;
  updateName?: string;
  context?: { hash?: string };
}

export const taxDemo: DemoScenario = {
  name: 'tax',
  summary:
    'a seeded month reported through the monthly Schedule (nexus crossed mid-month, planted tax differences), approved through the CLI, committed to AvaTax',
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
    return (
      `${month} reported through the monthly Schedule in ${seconds(reportMs)}: ${summary.states} states, ` +
      `must register in ${crossed.state} (nexus from ${crossed.nexusFrom}, by ${crossed.mustRegisterBy}), ` +
      `${summary.differences} tax differences with TikTok's charges (as planted), seller-owed ` +
      `${summary.sellerOwedTransactions} transactions / ${summary.sellerOwedTax} USD; approved by ` +
      `${done.decision!.decidedBy.split(' ')[0]} through the CLI; ${c.staged} transactions committed to AvaTax ` +
      `(${c.created} created, ${c.replaced} adjusted, ${c.refunds} refunds)`
    );
  },
};
