// The account-health workflow's clocks on the time-skipping server: a burst of dirty signals is one refresh a minute
// later (never one per signal); a violation entered crosses milestone 150 (risk late, the milestone warning passed on
// once, not again at the next refresh); with no event at all the workflow refreshes when each violation expires (180
// days later) and the shop is back on track; an invalid notice is refused by the validator (InvalidDecision).
// PostgreSQL is a stand-in with the real activity names: a US rating of 200 minus the active violations' points.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createDataConverter } from '../../temporal/connection';
import { accountHealthWorkflowId } from '../../workflows/ids';
import {
  accountHealthDirtySignal,
  getAccountHealthQuery,
  recordViolationUpdate,
  type AccountHealthSummary,
  type RecordViolationInput,
} from '../../workflows/accountHealth/messages';
import { accountHealth } from '../../workflows/accountHealth/workflow';
import { encryptedClient, testConfig, timeSkippingEnv, uniqueId, workflowBundle } from '../helpers/temporal';

const DAY = 86_400_000;
const MINUTE = 60_000;
const WINDOW_DAYS = 180;

interface Refresh {
  asOf: string;
  snapshot: boolean;
  previousWarnings: string[];
}

/** The shop's violations and what the workflow asked of the stand-in activities. */
function fakeHealthWorld() {
  const violations: { noticeId: string; points: number; occurredAt: string; expiresAt: string }[] = [];
  const refreshes: Refresh[] = [];
  /** Warnings the real activity would notify: those not active at the previous refresh (the workflow says which). */
  const notified: { key: string; asOf: string }[] = [];
  const summaryAt = (asOf: string): AccountHealthSummary => {
    const at = Date.parse(asOf);
    const active = violations.filter((v) => Date.parse(v.occurredAt) <= at && Date.parse(v.expiresAt) > at);
    const score = 200 - active.reduce((sum, v) => sum + v.points, 0);
    const reached = score <= 150;
    const warnings = reached
      ? [{ key: 'milestone_reached:score:150', severity: 'critical', title: 'milestone 150 reached', orders: 0 }]
      : score <= 165
        ? [{ key: 'milestone_near:score:150', severity: 'warning', title: 'milestone 150 near', orders: 0 }]
        : [];
    const expiries = active.map((v) => v.expiresAt).sort();
    return {
      asOf,
      region: 'US',
      regime: 'us_ahr',
      score: {
        value: score,
        milestone: reached ? '150' : null,
        nextMilestone: reached ? '100' : '150',
        unverified: true,
      },
      stage: `us_ahr ${score}: ${reached ? 'milestone 150' : 'clear'}`,
      risk: reached ? 'late' : warnings.length > 0 ? 'at_risk' : 'on_track',
      nextMilestoneAt: null,
      nextChangeAt: expiries[0] ?? null,
      metrics: [],
      warnings,
      activeViolations: active.length,
    };
  };
  const activities = {
    refreshAccountHealth(input: { shopId: string; asOf: string; snapshot: boolean; previousWarnings?: string[] }) {
      const previousWarnings = input.previousWarnings ?? [];
      refreshes.push({ asOf: input.asOf, snapshot: input.snapshot, previousWarnings });
      const summary = summaryAt(input.asOf);
      for (const w of summary.warnings)
        if (!previousWarnings.includes(w.key)) notified.push({ key: w.key, asOf: input.asOf });
      return Promise.resolve(summary);
    },
    recordAccountHealthViolation(input: RecordViolationInput & { shopId: string }) {
      const expiresAt = new Date(Date.parse(input.occurredAt) + WINDOW_DAYS * DAY).toISOString();
      violations.push({ noticeId: input.noticeId, points: input.points, occurredAt: input.occurredAt, expiresAt });
      return Promise.resolve({
        violationId: String(violations.length),
        noticeId: input.noticeId,
        occurredAt: input.occurredAt,
        expiresAt,
      });
    },
    requestAccountHealthSnapshot: () => Promise.resolve(),
    ensureAccountHealth: () => Promise.resolve({ schedule: 'created' as const }),
  };
  return { activities, refreshes, notified, violations };
}

describe('accountHealth on the time-skipping server', { timeout: 180_000 }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const cfg = testConfig();
  const world = fakeHealthWorld();

  before(async () => {
    env = await timeSkippingEnv();
    client = encryptedClient(env, cfg);
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: world.activities,
      dataConverter: createDataConverter(cfg),
    });
    running = worker.run();
  });
  after(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const refreshed = (handle: WorkflowHandle, n: number) =>
    until(`refresh ${n}`, async () => {
      const v = await handle.query(getAccountHealthQuery);
      return v.refreshes >= n ? v : undefined;
    });
  const caseAttributes = async (handle: WorkflowHandle) => {
    const d = await handle.describe();
    const get = (name: string) => d.typedSearchAttributes.getAll().find((p) => p.key.name === name)?.value;
    return { kind: get('CaseKind'), caseId: get('CaseId'), stage: get('CaseStage'), risk: get('CaseRisk') };
  };
  const notice = async (handle: WorkflowHandle, v: Omit<RecordViolationInput, 'decidedBy'>) =>
    handle.executeUpdate(recordViolationUpdate, { args: [{ decidedBy: 'key:ops', ...v }] });

  test('dirty bursts refresh once a minute; violations cross milestone 150 and expire after 180 days', async () => {
    const shopId = uniqueId('shop');
    const handle = await client.workflow.start(accountHealth, {
      workflowId: accountHealthWorkflowId(shopId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId }],
    });
    // Started: one refresh at once; the shop is on track.
    const first = await refreshed(handle, 1);
    assert.equal(first.summary?.risk, 'on_track');
    assert.deepEqual(await caseAttributes(handle), {
      kind: 'account_health',
      caseId: shopId,
      stage: 'us_ahr 200: clear',
      risk: 'on_track',
    });

    // A flash sale: fifty signals in a row are one refresh, a minute after the first.
    for (let i = 0; i < 50; i++) await handle.signal(accountHealthDirtySignal);
    await env.sleep(3 * MINUTE);
    const afterBurst = await refreshed(handle, 2);
    assert.equal(afterBurst.refreshes, 2, 'fifty signals, one refresh');
    const gap = Date.parse(world.refreshes[1]!.asOf) - Date.parse(world.refreshes[0]!.asOf);
    assert.ok(gap >= MINUTE, `refreshes ${gap} ms apart`);

    // A 40-point notice (rating 160: near milestone 150), ten days later a 30-point one (130: milestone reached).
    const t0 = await env.currentTimeMs();
    const recorded = await notice(handle, {
      noticeId: 'N-1',
      policy: 'late_dispatch',
      points: 40,
      occurredAt: new Date(t0).toISOString(),
    });
    assert.equal(recorded.expiresAt, new Date(t0 + WINDOW_DAYS * DAY).toISOString());
    await env.sleep(2 * MINUTE);
    assert.equal((await refreshed(handle, 3)).summary?.risk, 'at_risk');
    await env.sleep(10 * DAY);
    await notice(handle, {
      noticeId: 'N-2',
      policy: 'seller_fault_cancellation',
      points: 30,
      occurredAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    await env.sleep(2 * MINUTE);
    const late = await refreshed(handle, 4);
    assert.equal(late.summary?.score.value, 130);
    assert.equal(late.summary?.risk, 'late');
    assert.deepEqual(await caseAttributes(handle), {
      kind: 'account_health',
      caseId: shopId,
      stage: 'us_ahr 130: milestone 150',
      risk: 'late',
    });
    // Each warning was passed on when it appeared, once.
    assert.deepEqual(
      world.notified.map((n) => n.key),
      ['milestone_near:score:150', 'milestone_reached:score:150'],
    );

    // No event for 200 days: the workflow refreshes by itself when each violation expires.
    await env.sleep(200 * DAY);
    const recovered = await refreshed(handle, 6);
    assert.equal(recovered.refreshes, 6, 'one refresh per expiry, nothing else');
    const expiries = world.violations.map((v) => Date.parse(v.expiresAt));
    world.refreshes.slice(4).forEach((r, i) => {
      const after = Date.parse(r.asOf) - expiries[i]!;
      assert.ok(after >= 0 && after < MINUTE, `refresh ${i + 5} ${after} ms after the expiry`);
    });
    assert.equal(recovered.summary?.score.value, 200);
    assert.equal(recovered.summary?.risk, 'on_track');
    assert.equal(recovered.summary?.nextChangeAt, null);
    assert.equal((await caseAttributes(handle)).risk, 'on_track');
    // The milestone warning of the second refresh after it was not repeated; the history holds no order rows.
    assert.equal(world.notified.length, 2);
  });

  test('a notice with a mistyped date or points is refused as InvalidDecision and changes nothing', async () => {
    const shopId = uniqueId('shop');
    const handle = await client.workflow.start(accountHealth, {
      workflowId: accountHealthWorkflowId(shopId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId }],
    });
    await refreshed(handle, 1);
    const before = world.violations.length;
    for (const bad of [
      { noticeId: 'N-9', policy: 'late_dispatch', points: 12.5, occurredAt: new Date().toISOString() },
      { noticeId: 'N-9', policy: 'late_dispatch', points: 10, occurredAt: 'yesterday' },
    ]) {
      const err = await notice(handle, bad).then(
        () => assert.fail('accepted'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowUpdateFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'InvalidDecision');
    }
    assert.equal(world.violations.length, before);
    await handle.terminate('test done');
  });
});
