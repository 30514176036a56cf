import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { REPO_ROOT } from '../../config';
import { workflowBundle } from '../helpers/temporal';

// Histories recorded by real runs (scripts/captureHistories.ts) must replay on today's workflow code.
const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'histories');
const fixtures = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    name: f,
    ...(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { workflowId: string; history: unknown }),
  }));

test('there are replay fixtures for every long-running workflow type', () => {
  const types = new Set(
    fixtures.map((f) => {
      const events = (
        f.history as { events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[] }
      ).events;
      return events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
    }),
  );
  for (const type of [
    'shopLifecycle',
    'orderAcknowledgment',
    'inventoryFeed',
    'orderReconciliation',
    'returnRequest',
    'returnReconciliation',
    'accountHealth',
    'categoryUngating',
    'monthlyTaxReport',
  ]) {
    assert.ok(types.has(type), `a fixture of ${type}`);
  }
});

interface FixtureEvent {
  eventType?: string;
  markerRecordedEventAttributes?: { markerName?: string };
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
  workflowExecutionSignaledEventAttributes?: { signalName?: string; input?: { payloads?: { data?: string }[] } };
  activityTaskCompletedEventAttributes?: { result?: { payloads?: { data?: string }[] } };
}
const eventsOf = (name: string): FixtureEvent[] => {
  const fixture = fixtures.find((f) => f.name === name);
  assert.ok(fixture, `fixture ${name}`);
  return (fixture.history as { events: FixtureEvent[] }).events;
};

test('a fixture of a repeated shipment report: three reports accepted, one Mark Package As Shipped', () => {
  const events = eventsOf('orderAcknowledgment-repeated-shipment.json');
  const accepted = events.filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'shipped',
  );
  const marks = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'shipPackages');
  assert.equal(accepted.length, 3);
  assert.equal(marks.length, 1);
});

test('a fixture of a return a person decides: two decideReturn updates, two decisions sent to TikTok', () => {
  const events = eventsOf('returnRequest-approve-and-receive.json');
  const accepted = events.filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'decideReturn',
  );
  const sent = events.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendReturnDecision',
  );
  assert.equal(accepted.length, 2);
  assert.equal(sent.length, 2);
});

test('a fixture of an order from payment to carrier scan: hand-off in the read, then shipped and the scan read', () => {
  const events = eventsOf('orderAcknowledgment-ship-and-dispatch.json');
  // The hand-off, the first read and the PostgreSQL steps are local activities (markers); the rest are these two.
  const activities = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  assert.deepEqual(activities, ['shipPackages', 'readDispatchedOrder']);
  const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  assert.ok(markers.length >= 3, `${markers.length} local activities`);
});

test("a fixture of a product's feed: a push, an order's hold pushed again, a TikTok sale that needs no push", () => {
  const events = eventsOf('inventoryFeed-push-and-hold.json');
  const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'unitsCommitted');
  const pushes = events.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pushAndConfirmInventory',
  );
  assert.equal(signals.length, 2);
  assert.equal(pushes.length, 2);
});

test("a fixture of a shop's authorize → revoke → re-authorize, with the schedule following it", () => {
  const events = eventsOf('shopLifecycle-authorize-revoke-reauthorize.json');
  // Captured without the codec: a payload's data is its JSON, base64-encoded.
  const statuses = events.flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes?.signalName === 'authorizationChanged'
      ? [
          (
            JSON.parse(
              Buffer.from(e.workflowExecutionSignaledEventAttributes.input!.payloads![0]!.data!, 'base64').toString(),
            ) as { status: string }
          ).status,
        ]
      : [],
  );
  assert.deepEqual(statuses, ['authorized', 'revoked', 'authorized']);
  const activities = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  assert.deepEqual(
    activities.filter((a) => /Schedules?$|^notify$/.test(a)),
    [
      'ensureReconciliationSchedules',
      'pauseReconciliationSchedules',
      'notify',
      'ensureReconciliationSchedules',
      'notify',
    ],
  );
});

test('a fixture of account health: refreshes on start, signal, notice and snapshot; summaries, never order rows', () => {
  const events = eventsOf('accountHealth-refresh-violation-snapshot.json');
  const activities = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  assert.deepEqual(activities, [
    'refreshAccountHealth',
    'refreshAccountHealth',
    'recordAccountHealthViolation',
    'refreshAccountHealth',
    'refreshAccountHealth',
  ]);
  // Captured without the codec: a payload's data is its JSON, base64-encoded.
  const results = events.flatMap((e) =>
    (e.activityTaskCompletedEventAttributes?.result?.payloads ?? []).map(
      (p) => JSON.parse(Buffer.from(p.data!, 'base64').toString()) as Record<string, unknown>,
    ),
  );
  const summaries = results.filter((r) => 'score' in r);
  assert.equal(summaries.length, 4);
  for (const r of summaries) {
    assert.ok(!('report' in r) && !('violations' in r), 'a summary, not the report');
    assert.ok(!JSON.stringify(r).includes('offendingOrderIds'));
  }
  assert.equal(summaries.at(-1)!.snapshotDay, (summaries.at(-1)!.asOf as string).slice(0, 10));
  assert.equal(summaries.at(-1)!.activeViolations, 1);
});

test('a fixture of a monthly tax report: synced, computed by cursor, approved through its update; counts, never lines', () => {
  const events = eventsOf('monthlyTaxReport-seeded-month-approved.json');
  const activities = events
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
    .filter((n): n is string => n !== undefined);
  assert.deepEqual(activities.slice(0, 3), ['readTaxReportSettings', 'syncTaxFinance', 'syncFbtInventory']);
  assert.ok(activities.includes('computeTaxReportStep'));
  // Approved, then the engine read again: none, so nothing is staged or committed.
  assert.deepEqual(activities.slice(-2), ['setTaxReportStatus', 'readTaxReportSettings']);
  const updates = events
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
    .filter((n) => n !== undefined);
  assert.deepEqual(updates, ['approveTaxReport']);
  // Each activity answer is small: counts and a summary, not the month's lines.
  for (const e of events) {
    const data = e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data ?? '';
    assert.ok(data.length < 8_000, `an activity answer of ${data.length} bytes`);
  }
});

test('a fixture of a return reconciliation run: one page activity; its results are counts, never the returns', () => {
  const events = eventsOf('returnReconciliation-start-and-closed.json');
  const activities = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  assert.deepEqual(activities, ['beginReconciliationRun', 'reconcileReturnsPage', 'finishReconciliationRun']);
  // Captured without the codec: a payload's data is its JSON, base64-encoded.
  const results = events.flatMap((e) =>
    (e.activityTaskCompletedEventAttributes?.result?.payloads ?? []).map((p) =>
      Buffer.from(p.data!, 'base64').toString(),
    ),
  );
  const page = JSON.parse(results[1]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(page).sort(), [
    'alreadyClosed',
    'alreadyNotified',
    'maxUpdateTime',
    'seen',
    'signalled',
    'started',
  ]);
  assert.equal(page.started, 1);
  assert.equal(page.alreadyClosed, 1);
});

for (const fixture of fixtures) {
  test(`replays ${fixture.name}`, async () => {
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle() },
      historyFromJSON(fixture.history),
      fixture.workflowId,
    );
  });
}

test('no fixture records a patch (no patched() before the first release)', () => {
  for (const fixture of fixtures) {
    const markers = (fixture.history as { events: FixtureEvent[] }).events.flatMap(
      (e) => e.markerRecordedEventAttributes?.markerName ?? [],
    );
    assert.ok(!markers.includes('core_patch'), `${fixture.name} has a patch marker`);
  }
});

// The replays above prove something only if a history that disagrees with the code fails: in every fixture, the
// first activity the workflow scheduled is renamed, and replaying that must be a determinism violation.
for (const fixture of fixtures) {
  test(`a changed ${fixture.name} is a determinism violation`, async () => {
    const history = structuredClone(fixture.history) as { events: FixtureEvent[] };
    const first = history.events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    assert.ok(first, `${fixture.name} schedules an activity`);
    first.activityTaskScheduledEventAttributes!.activityType!.name = 'someOtherActivity';
    await assert.rejects(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromJSON(history), fixture.workflowId),
      DeterminismViolationError,
    );
  });
}
