// The monthly tax report on the time-skipping server: a firing's month in the shop's tax time zone (the same instant
// is the last day of a month in Los Angeles and the 1st of the next in UTC), the approval wait with its two human
// steps and its expiry, approval then commit (stage + commit calls until done), rejection, a shop without engine, a
// month not ended yet. The report, settings, human-step and commit activities are stand-ins with the real names.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { taxReportWorkflowId } from '../../workflows/ids';
import {
  approveTaxReportUpdate,
  getTaxReportQuery,
  rejectTaxReportUpdate,
  type TaxReportSettingsView,
  type TaxReportSummary,
} from '../../workflows/monthlyTaxReport/messages';
import { addMonths, taxPeriodBounds } from '../../workflows/monthlyTaxReport/period';
import { monthlyTaxReport } from '../../workflows/monthlyTaxReport/workflow';
import {
  applicationFailureOf as failureOf,
  bundledWorker,
  encryptedClient,
  testConfig,
  timeSkippingEnv,
  uniqueId,
  until,
} from '../helpers/temporal';

const DAY = 86_400_000;

interface Call {
  name: string;
  input: any;
}

function summaryOf(period: string): TaxReportSummary {
  return {
    reportId: `rep-${period}`,
    period,
    status: 'draft',
    states: 3,
    mustRegister: [{ state: 'TX', nexusFrom: `${period}-15`, mustRegisterBy: `${addMonths(period, 1)}-01` }],
    sellerOwedTransactions: 7,
    sellerOwedTax: '41.23',
    differences: 2,
    historyGaps: [],
    flags: [],
    csvFileId: 'c'.repeat(64),
    pdfFileId: 'p'.repeat(64),
    hash: 'h'.repeat(64),
    rebuild: 'first',
  };
}

function fakeWorld(settings: TaxReportSettingsView) {
  const calls: Call[] = [];
  const log = (name: string, input: unknown) => calls.push({ name, input: structuredClone(input) });
  const activities = {
    readTaxReportSettings: (input: unknown) => {
      log('readTaxReportSettings', input);
      return Promise.resolve({ ...settings });
    },
    // Three pages of 400 lines, then the summary (progress: the lines read so far).
    computeTaxReportStep: (input: { period: string; cursor?: string }) => {
      log('computeTaxReportStep', input);
      const page = input.cursor === undefined ? 0 : Number(input.cursor);
      const lines = 400 * (page + 1);
      if (page < 2) return Promise.resolve({ done: false, cursor: String(page + 1), progress: { lines } });
      return Promise.resolve({ done: true, progress: { lines }, summary: summaryOf(input.period) });
    },
    syncTaxFinance: (input: unknown) => {
      log('syncTaxFinance', input);
      return Promise.resolve({ statements: 1, transactions: 3, unsettled: 0, orders: 3, saleLines: 3 });
    },
    syncFbtInventory: (input: unknown) => {
      log('syncFbtInventory', input);
      return Promise.resolve({ warehouses: 1, records: 1, presences: 1 });
    },
    stageTaxReportCommit: (input: unknown) => {
      log('stageTaxReportCommit', input);
      return Promise.resolve({ staged: 7 });
    },
    commitSellerOwedTransactions: (input: { cursor?: number }) => {
      log('commitSellerOwedTransactions', input);
      const first = (input.cursor ?? 0) === 0;
      return Promise.resolve({
        seen: first ? 5 : 2,
        created: first ? 4 : 2,
        replaced: 0,
        skipped: first ? 1 : 0,
        rejected: 0,
        refunds: first ? 1 : 0,
        cursor: first ? 5 : 7,
        done: !first,
      });
    },
    setTaxReportStatus: (input: unknown) => Promise.resolve(log('setTaxReportStatus', input)),
    openHumanStep: (input: { stepKey: string }) => {
      log('openHumanStep', input);
      return Promise.resolve({ stepId: input.stepKey === 'approve' ? '21' : '22' });
    },
    closeHumanStep: (input: unknown) => Promise.resolve(log('closeHumanStep', input)),
  };
  return { calls, activities, of: (name: string) => calls.filter((c) => c.name === name).map((c) => c.input) };
}

const LA: TaxReportSettingsView = {
  engine: 'avatax',
  timeZone: 'America/Los_Angeles',
  scheduleHour: 6,
  approvalWindowMs: 10 * DAY,
};

describe('monthly tax report on the time-skipping server', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let client: Client;
  const cfg = testConfig();
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(async () => {
    env = await timeSkippingEnv();
    client = encryptedClient(env, cfg);
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    worker = undefined;
    running = undefined;
    await env?.teardown();
  });

  async function startWorker(settings: TaxReportSettingsView) {
    world = fakeWorld(settings);
    worker = await bundledWorker(env, cfg, world.activities);
    running = worker.run();
  }

  /** The month before the server's current month (UTC), i.e. a month that has ended everywhere. */
  const lastMonth = async () => addMonths(new Date(await env.currentTimeMs()).toISOString().slice(0, 7), -1);

  async function startMonth(shopId: string, period: string) {
    return client.workflow.start(monthlyTaxReport, {
      workflowId: taxReportWorkflowId(shopId, period),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId, period }],
    });
  }

  test("a firing reports the month before its time's month in the shop's time zone, not UTC's", async () => {
    // The 1st of next month at 06:30 UTC is still the last day of this month in Los Angeles (UTC-8 or UTC-7).
    const now = await env.currentTimeMs();
    const thisMonth = new Date(now).toISOString().slice(0, 7);
    const firingAt = Date.parse(`${addMonths(thisMonth, 1)}-01T06:30:00.000Z`);
    await env.sleep(firingAt - now);
    for (const [timeZone, expected] of [
      ['America/Los_Angeles', addMonths(thisMonth, -1)],
      ['UTC', thisMonth],
    ] as const) {
      await startWorker({ ...LA, timeZone });
      const shopId = uniqueId('tz');
      // No period: as a Schedule's firing starts it (the scheduled time falls back to the start time off a Schedule).
      const firing = await client.workflow.execute(monthlyTaxReport, {
        workflowId: `tax-report-firing:${shopId}`,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        args: [{ shopId }],
      });
      assert.deepEqual(firing.started, {
        workflowId: taxReportWorkflowId(shopId, expected),
        period: expected,
        alreadyStarted: false,
      });
      const child = client.workflow.getHandle(taxReportWorkflowId(shopId, expected));
      await until('the report computed', () => world.of('openHumanStep').length === 2);
      const view = await child.query(getTaxReportQuery);
      assert.equal(view.period, expected);
      assert.equal(view.timeZone, timeZone);
      assert.deepEqual(
        world.of('computeTaxReportStep').map((c) => c.timeZone),
        [timeZone, timeZone, timeZone],
      );
      // The month's sales are synced first, over the month's bounds in that time zone.
      assert.deepEqual(world.of('syncTaxFinance'), [{ shopId, ...taxPeriodBounds(expected, timeZone) }]);
      assert.deepEqual(world.of('syncFbtInventory'), [{ shopId }]);
      // A second firing of the same month finds the report running and starts nothing.
      const again = await client.workflow.execute(monthlyTaxReport, {
        workflowId: `tax-report-firing:${shopId}:2`,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        args: [{ shopId }],
      });
      assert.equal(again.started?.alreadyStarted, true);
      await child.terminate('test done');
      worker!.shutdown();
      await running;
      worker = undefined;
      running = undefined;
    }
  });

  test('approval within the window commits the seller-owed transactions to the engine; the steps close', async () => {
    await startWorker(LA);
    const shopId = uniqueId('ok');
    const period = await lastMonth();
    const handle = await startMonth(shopId, period);
    await until('both steps', () => world.of('openHumanStep').length === 2);
    const started = await env.currentTimeMs();
    const [approve, reject] = world.of('openHumanStep');
    assert.deepEqual(
      [approve.stepKey, approve.updateName, approve.caseKind, approve.caseId],
      ['approve', 'approveTaxReport', 'tax_report', period],
    );
    assert.deepEqual([reject.stepKey, reject.updateName], ['reject', 'rejectTaxReport']);
    assert.ok(Math.abs(Date.parse(approve.dueAt) - (started + 10 * DAY)) < 60_000, 'due 10 days after the report');
    assert.equal(approve.severity, 'warning', 'a state to register in makes it a warning');
    assert.equal(approve.context.sellerOwedTax, '41.23');
    assert.equal(approve.context.onApproval, 'the seller-owed transactions are committed to avatax');
    const computing = world.of('computeTaxReportStep');
    assert.deepEqual(
      computing.map((c) => c.cursor),
      [undefined, '1', '2'],
    );
    let view = await handle.query(getTaxReportQuery);
    assert.equal(view.stage, 'awaiting_approval');
    assert.deepEqual(view.progress, { lines: 1200, steps: 3 });

    // A stale hash and an empty rejection reason are refused; nine days later the approval is taken.
    await assert.rejects(
      handle.executeUpdate(approveTaxReportUpdate, { args: [{ decidedBy: 'ops (key 1)', hash: 'x'.repeat(64) }] }),
      (err) => failureOf(err)?.type === 'InvalidDecision',
    );
    await assert.rejects(
      handle.executeUpdate(rejectTaxReportUpdate, { args: [{ decidedBy: 'ops (key 1)', reason: ' ' }] }),
      (err) => failureOf(err)?.type === 'InvalidDecision',
    );
    await env.sleep(9 * DAY);
    const result = await handle.executeUpdate(approveTaxReportUpdate, {
      args: [{ decidedBy: 'ops (key 1)', hash: 'h'.repeat(64), note: 'checked' }],
    });
    assert.deepEqual(result, { period, decision: 'approved', reportId: `rep-${period}` });
    // A second decision is refused.
    await assert.rejects(
      handle.executeUpdate(rejectTaxReportUpdate, { args: [{ decidedBy: 'ops (key 2)', reason: 'late' }] }),
      (err) => failureOf(err)?.type === 'InvalidDecision',
    );
    view = await handle.result();
    assert.equal(view.stage, 'committed');
    assert.deepEqual(view.commit, {
      engine: 'avatax',
      staged: 7,
      seen: 7,
      created: 6,
      replaced: 0,
      skipped: 1,
      rejected: 0,
      refunds: 1,
      activityCalls: 2,
    });
    assert.deepEqual(world.of('stageTaxReportCommit'), [{ shopId, reportId: `rep-${period}`, engine: 'avatax' }]);
    assert.deepEqual(
      world.of('commitSellerOwedTransactions').map((c) => [c.engine, c.period, c.cursor]),
      [
        ['avatax', period, 0],
        ['avatax', period, 5],
      ],
    );
    assert.deepEqual(world.of('setTaxReportStatus'), [
      { reportId: `rep-${period}`, status: 'approved', by: 'ops (key 1)' },
      { reportId: `rep-${period}`, status: 'committed', by: 'ops (key 1)' },
    ]);
    const closes = world.of('closeHumanStep').map((c) => [c.stepKey, c.outcome, c.decidedBy ?? null]);
    assert.deepEqual(closes, [
      ['approve', 'decided', 'ops (key 1)'],
      ['reject', 'superseded', null],
    ]);
  });

  test('no decision within the window: the report expires, both steps expire, nothing is committed', async () => {
    await startWorker({ ...LA, approvalWindowMs: 3 * DAY });
    const shopId = uniqueId('exp');
    const period = await lastMonth();
    const handle = await startMonth(shopId, period);
    await until('both steps', () => world.of('openHumanStep').length === 2);
    await env.sleep(3 * DAY - 60_000);
    assert.equal((await handle.query(getTaxReportQuery)).stage, 'awaiting_approval', 'still waiting a minute before');
    await env.sleep(2 * 60_000);
    const view = await handle.result();
    assert.equal(view.stage, 'expired');
    assert.deepEqual(world.of('setTaxReportStatus'), [{ reportId: `rep-${period}`, status: 'expired' }]);
    assert.deepEqual(
      world.of('closeHumanStep').map((c) => [c.stepKey, c.outcome]),
      [
        ['approve', 'expired'],
        ['reject', 'expired'],
      ],
    );
    assert.equal(world.of('stageTaxReportCommit').length, 0);
    assert.equal(world.of('commitSellerOwedTransactions').length, 0);
  });

  test('a rejection records who and why; a shop without engine ends approved with nothing committed', async () => {
    await startWorker({ ...LA, engine: 'none' });
    const period = await lastMonth();
    const rejected = await startMonth(uniqueId('rej'), period);
    const approved = await startMonth(uniqueId('none'), period);
    await until('four steps', () => world.of('openHumanStep').length === 4);
    await rejected.executeUpdate(rejectTaxReportUpdate, {
      args: [{ decidedBy: 'ops (key 1)', reason: 'the import of the other channel is missing' }],
    });
    const r = await rejected.result();
    assert.equal(r.stage, 'rejected');
    assert.equal(r.decision?.note, 'the import of the other channel is missing');
    await approved.executeUpdate(approveTaxReportUpdate, { args: [{ decidedBy: 'ops (key 1)' }] });
    const a = await approved.result();
    assert.equal(a.stage, 'approved');
    assert.equal(a.commit, undefined);
    assert.deepEqual(
      world.of('setTaxReportStatus').map((c) => c.status),
      ['rejected', 'approved'],
    );
    assert.equal(world.of('stageTaxReportCommit').length, 0);
  });

  test('a month that has not ended in the shop time zone is refused', async () => {
    await startWorker(LA);
    const thisMonth = new Date(await env.currentTimeMs()).toISOString().slice(0, 7);
    const handle = await startMonth(uniqueId('early'), addMonths(thisMonth, 1));
    await assert.rejects(
      handle.result(),
      (err) => err instanceof WorkflowFailedError && failureOf(err)?.type === 'InvalidTaxPeriod',
    );
    assert.equal(world.of('computeTaxReportStep').length, 0);
  });
});
