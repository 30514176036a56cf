// The monthly tax report's Schedule on the dev server, through the API: created in the shop's tax time zone at its
// hour (settings), moved when the settings change, fired now (the month before now's month there is reported),
// back-filled for past months (each firing reports its own month), paused and resumed; the month's report reaches its
// approval, listed, and is approved through the human-step route. The report's computation is a stand-in here
// (activities/taxReport/ is tested on its own); settings, human steps, the Schedule and the workflow are the product's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createShopRepository } from '../../db/shops';
import { readTaxSettings } from '../../shopSettings/tax';
import { ensureTaxReportSchedule, firingOfPeriod } from '../../temporal/taxReport';
import { taxReportScheduleId, taxReportWorkflowId } from '../../workflows/ids';
import type { TaxReportSummary } from '../../workflows/monthlyTaxReport/messages';
import { addMonths, localMonthOf } from '../../workflows/monthlyTaxReport/period';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { until } from '../helpers/until';

const NY = 'America/New_York';

describe('monthly tax report Schedule on the dev server', { timeout: 180_000 }, () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const shopId = uniqueId('taxsched');
  const computed: string[] = [];

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(
      env,
      {},
      {
        activities: {
          computeTaxReportStep: (input: { period: string }) => {
            computed.push(input.period);
            const summary: TaxReportSummary = {
              reportId: `rep-${input.period}`,
              period: input.period,
              status: 'draft',
              states: 2,
              mustRegister: [],
              sellerOwedTransactions: 0,
              sellerOwedTax: '0.00',
              differences: 0,
              historyGaps: [],
              flags: [],
              csvFileId: 'c'.repeat(64),
              pdfFileId: 'p'.repeat(64),
              hash: 'a'.repeat(64),
              rebuild: 'first',
            };
            return Promise.resolve({ done: true, progress: { lines: 10 }, summary });
          },
          // The shop is not connected to TikTok here: the month's sync is a stand-in too.
          syncTaxFinance: () => Promise.resolve({ statements: 0, transactions: 0, unsettled: 0 }),
          syncFbtInventory: () => Promise.resolve({ warehouses: 0, records: 0, presences: 0 }),
          setTaxReportStatus: () => Promise.resolve(),
          stageTaxReportCommit: () => Promise.resolve({ staged: 0 }),
        },
      },
    );
    await createShopRepository(stack.database.db).record({
      shopId,
      region: 'US',
      displayName: 'Tax Schedule',
      workflowId: `shop:${shopId}`,
    });
  });
  after(async () => {
    await stack?.client.schedule
      .getHandle(taxReportScheduleId(shopId))
      .delete()
      .catch(() => undefined);
    await stack?.stop();
    await env?.teardown();
  });

  const schedule = async () => (await stack.call('GET', `/v1/shops/${shopId}/tax/schedule`)).json;
  const report = (period: string) =>
    until(`the report of ${period} awaiting approval`, async () => {
      const r = await stack.call('GET', `/v1/shops/${shopId}/tax/reports/${period}`);
      return r.status === 200 && r.json.stage === 'awaiting_approval' ? r.json : undefined;
    });

  test('created in the shop time zone, fired now, back-filled, paused; a report approved through its step', async () => {
    assert.equal((await stack.call('GET', `/v1/shops/${shopId}/tax/schedule`)).status, 404, 'no Schedule yet');
    const patched = await stack.call('PATCH', `/v1/shops/${shopId}/settings`, {
      tax: { timeZone: NY, scheduleHour: 5 },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    // What the shop's authorization does (activities/reconciliation ensureReconciliationSchedules).
    const deps = { temporal: stack.client, taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE };
    assert.equal(await ensureTaxReportSchedule(deps, shopId, await readTaxSettings(stack.apiDeps, shopId)), 'created');
    let s = await schedule();
    assert.equal(s.timeZone, NY);
    assert.deepEqual(s.calendar, { dayOfMonth: 1, hour: 5, minute: 0 });
    const thisMonth = localMonthOf(new Date(), NY);
    assert.equal(s.nextActionTimes[0], firingOfPeriod(thisMonth, { timeZone: NY, scheduleHour: 5 }).toISOString());

    // A settings change moves the Schedule's hour at once.
    await stack.call('PATCH', `/v1/shops/${shopId}/settings`, { tax: { scheduleHour: 7 } });
    s = await schedule();
    assert.equal(s.nextActionTimes[0], firingOfPeriod(thisMonth, { timeZone: NY, scheduleHour: 7 }).toISOString());

    // Fired now: the month before this one (in New York) is reported.
    const lastMonth = addMonths(thisMonth, -1);
    assert.equal((await stack.call('POST', `/v1/shops/${shopId}/tax/schedule/trigger`, {})).status, 202);
    const view = await report(lastMonth);
    assert.equal(view.timeZone, NY);
    assert.equal(view.summary.reportId, `rep-${lastMonth}`);
    assert.equal(view.downloads.pdf, `/v1/shops/${shopId}/tax/reports/${lastMonth}/pdf`);

    // Back-filled: each firing reports its own month.
    const from = addMonths(thisMonth, -4);
    const to = addMonths(thisMonth, -3);
    const back = await stack.call('POST', `/v1/shops/${shopId}/tax/schedule/backfill`, { from, to });
    assert.equal(back.status, 202, JSON.stringify(back.json));
    assert.deepEqual(back.json.firings, [
      firingOfPeriod(from, { timeZone: NY, scheduleHour: 7 }).toISOString(),
      firingOfPeriod(to, { timeZone: NY, scheduleHour: 7 }).toISOString(),
    ]);
    await report(from);
    await report(to);
    assert.deepEqual([...new Set(computed)].sort(), [from, to, lastMonth].sort());
    const refused = await stack.call('POST', `/v1/shops/${shopId}/tax/schedule/backfill`, {
      from: thisMonth,
      to: thisMonth,
    });
    assert.equal(refused.status, 400, 'a month not ended is not back-filled');

    const listed = await until('three reports listed', async () => {
      const r = await stack.call('GET', `/v1/shops/${shopId}/tax/reports`);
      return r.json.reports.length === 3 ? r.json.reports : undefined;
    });
    assert.deepEqual(
      listed.map((r: { period: string }) => r.period),
      [lastMonth, to, from],
    );

    // Paused and resumed.
    assert.equal(
      (await stack.call('POST', `/v1/shops/${shopId}/tax/schedule/pause`, { note: 'audit' })).json.paused,
      true,
    );
    assert.equal((await schedule()).note, 'audit');
    assert.equal((await stack.call('POST', `/v1/shops/${shopId}/tax/schedule/unpause`, {})).json.paused, false);

    // The approval step of last month's report, decided through the human-step route: approved (no engine).
    const steps = await stack.call('GET', `/v1/human-steps?shopId=${shopId}&caseKind=tax_report&open=true`);
    const approve = steps.json.steps.find(
      (x: { caseId: string; updateName: string }) => x.caseId === lastMonth && x.updateName === 'approveTaxReport',
    );
    assert.ok(approve, JSON.stringify(steps.json));
    const decided = await stack.call('POST', `/v1/human-steps/${approve.id}/decision`, { hash: 'a'.repeat(64) });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    const done = await stack.client.workflow.getHandle(taxReportWorkflowId(shopId, lastMonth)).result();
    assert.equal(done.stage, 'approved');
    assert.match(done.decision.decidedBy, /key/);
  });
});
