// The account-health workflow on the dev server with the real worker, API and PostgreSQL: a shop authorized gets its
// `account-health:<shopId>` workflow and its daily Schedule (`account-health-daily:<shopId>`); a burst of order
// events marks the shop dirty once, so the hook sends one signal and the workflow refreshes at most once per interval;
// triggering the Schedule saves the day's snapshot through the workflow; a Seller Center notice entered through the
// API lowers the rating, shows in the report, the history and the chart, and a second shop's key sees none of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createAccountHealthRepository } from '../../db/accountHealth';
import { describeAccountHealthSchedule, triggerAccountHealthSnapshot } from '../../temporal/accountHealth';
import { accountHealthWorkflowId, shopWorkflowId } from '../../workflows/ids';
import { getAccountHealthQuery, type AccountHealthView } from '../../workflows/accountHealth/messages';
import { accountHealth } from '../../workflows/accountHealth/workflow';
import { authorizationChangedSignal } from '../../workflows/shopLifecycle/messages';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { until } from '../helpers/until';

const INTERVAL_MS = 2_000;

describe('account health on the dev server', { timeout: 120_000 }, () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const shopId = uniqueId('health');
  const view = (): Promise<AccountHealthView> =>
    stack.client.workflow.getHandle(accountHealthWorkflowId(shopId)).query(getAccountHealthQuery);

  before(async () => {
    env = await devServerEnv();
    // The reconciliation Schedules the authorization creates stay quiet during the test.
    stack = await startTestStack(env, { ORDER_RECONCILE_INTERVAL: '1h' });
  });
  after(async () => {
    for (const id of [accountHealthWorkflowId(shopId), shopWorkflowId(shopId)])
      await stack?.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => undefined);
    for (const s of [`account-health-daily:${shopId}`, `reconcile-orders:${shopId}`, `reconcile-returns:${shopId}`])
      await stack?.client.schedule
        .getHandle(s)
        .delete()
        .catch(() => undefined);
    await stack?.stop();
    await env?.teardown();
  });

  test('started when the shop is authorized, with its daily Schedule', async () => {
    const registered = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: 'Health Shop' });
    assert.equal(registered.status, 201, JSON.stringify(registered.json));
    // Started before the shop's workflow does, with a short interval, so the test needs no minute per refresh; the
    // authorization's signal-with-start then finds it running (USE_EXISTING) and only signals it.
    await stack.client.workflow.start(accountHealth, {
      workflowId: accountHealthWorkflowId(shopId),
      taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId, minRefreshIntervalMs: INTERVAL_MS }],
    });
    await stack.client.workflow
      .getHandle(shopWorkflowId(shopId))
      .signal(authorizationChangedSignal, { status: 'authorized', reason: 'test', at: new Date().toISOString() });
    const schedule = await until('the daily Schedule', () => describeAccountHealthSchedule(stack.client, shopId));
    assert.equal(schedule.paused, false);
    assert.equal(new Date(schedule.nextActionTimes[0]!).getUTCHours(), 0);
    const v = await until('a first refresh', async () => ((await view()).summary ? view() : undefined));
    assert.equal(v.summary?.region, 'US');
    assert.equal(v.summary?.regime, 'us_ahr');
  });

  test('a burst of order events is one signal and at most one refresh per interval', async () => {
    const health = createAccountHealthRepository(stack.database.db);
    const before = await until('the workflow idle', async () => {
      const v = await view();
      return v.dirty ? undefined : v;
    });
    let signals = 0;
    const hook = stack.deps.onShopHealthDirty!;
    const started = Date.now();
    // What the order activities do for each recorded event: mark the shop, and signal only on clean → dirty.
    for (let i = 0; i < 40; i++) {
      if (await health.markDirty(shopId)) {
        signals += 1;
        await hook(shopId);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const elapsed = Date.now() - started;
    assert.ok(signals >= 1, 'the first event signals');
    assert.ok(signals <= Math.ceil(elapsed / INTERVAL_MS) + 1, `${signals} signals in ${elapsed} ms`);
    const afterBurst = await until('the burst taken in', async () => {
      const v = await view();
      return !v.dirty && v.refreshes > before.refreshes && (await health.dirtySince(shopId)) === undefined
        ? v
        : undefined;
    });
    const refreshes = afterBurst.refreshes - before.refreshes;
    assert.ok(refreshes <= Math.ceil((Date.now() - started) / INTERVAL_MS) + 1, `${refreshes} refreshes`);
    // The history holds summaries only: no activity result carries order rows.
    const history = await stack.client.workflow.getHandle(accountHealthWorkflowId(shopId)).fetchHistory();
    const largest = Math.max(
      ...(history.events ?? []).flatMap((e) =>
        (e.activityTaskCompletedEventAttributes?.result?.payloads ?? []).map((p) => p.data?.length ?? 0),
      ),
    );
    assert.ok(largest < 8_000, `an activity result of ${largest} bytes`);
  });

  test("the Schedule's firing saves the day's snapshot through the workflow", async () => {
    const day = new Date().toISOString().slice(0, 10);
    await triggerAccountHealthSnapshot(stack.client, shopId);
    const v = await until('the snapshot', async () => {
      const w = await view();
      return w.summary?.snapshotDay === day ? w : undefined;
    });
    assert.equal(v.snapshotDue, false);
    const history = await stack.call('GET', `/v1/shops/${shopId}/account-health/history`);
    assert.equal(history.status, 200);
    assert.deepEqual(
      history.json.snapshots.map((s: { day: string }) => s.day),
      [day],
    );
    assert.equal(history.json.snapshots[0].score, v.summary?.score.value);
  });

  test('a notice entered through the API lowers the rating, in the report and the chart', async () => {
    const before = await view();
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const bad = await stack.call('POST', `/v1/shops/${shopId}/account-health/violations`, {
      noticeId: 'SC-1',
      policy: 'late_dispatch',
      points: 10,
      occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.json));
    const r = await stack.call('POST', `/v1/shops/${shopId}/account-health/violations`, {
      noticeId: 'SC-1',
      policy: 'late_dispatch',
      points: 10,
      occurredAt,
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(Date.parse(r.json.expiresAt) - Date.parse(occurredAt), 180 * 86_400_000);
    const v = await until('the refresh after the notice', async () => {
      const w = await view();
      return w.refreshes > before.refreshes && !w.dirty ? w : undefined;
    });
    assert.equal(v.summary!.activeViolations, 1);
    assert.equal(v.summary!.score.value, before.summary!.score.value! - 10);
    const report = await stack.call('GET', `/v1/shops/${shopId}/account-health`);
    assert.equal(report.status, 200);
    assert.deepEqual(
      report.json.report.violations.map((x: { noticeRef: string; enteredBy: string }) => x.noticeRef),
      ['SC-1'],
    );
    assert.match(report.json.report.violations[0].enteredBy, /admin|key/i);
    assert.equal(report.json.workflow.refreshes, v.refreshes);
    // The day's snapshot again, with the notice: the chart draws its point.
    await triggerAccountHealthSnapshot(stack.client, shopId);
    await until('the snapshot with the notice', async () => {
      const h = await stack.call('GET', `/v1/shops/${shopId}/account-health/history`);
      return h.json.snapshots[0]?.score === v.summary!.score.value;
    });
    const res = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/account-health/chart.svg`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const svg = await res.text();
    assert.match(svg, /^<svg /);
    assert.match(svg, new RegExp(`>${shopId}: Account Health Rating<`));
  });
});
