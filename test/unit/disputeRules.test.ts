// The dispute processes' pure rules (workflows/shared/disputeRules.ts) and the appeal window's policy row: which
// submissions and outcomes a validator refuses (and as what: the API maps InvalidDecision to 422, DeadlinePassed to
// 409), when reminders fire, and the 21 days.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appealWindow } from '../../policy/disputeRows';
import { DEFAULT_SHOP_SETTINGS, shopSettingsSchema } from '../../shopSettings/schema';
import { recoveredAmount, refuseOutcome, refuseSubmission, reminderPlan } from '../../workflows/shared/disputeRules';

const HOUR = 3_600_000;
const DEADLINE = Date.parse('2026-06-10T12:00:00Z');
const OPENED = Date.parse('2026-06-03T12:00:00Z');
const awaiting = { stage: 'awaiting_submission' as const, deadlineMs: DEADLINE, openedFromMs: OPENED };
const by = { decidedBy: 'ops (key 1)' };

test('a submission before the deadline is accepted; at or after it DeadlinePassed', () => {
  assert.equal(refuseSubmission(by, awaiting, DEADLINE - 1), undefined);
  assert.equal(
    refuseSubmission({ ...by, submittedAt: '2026-06-09T08:00:00Z', reference: 'SC-1' }, awaiting, DEADLINE - HOUR),
    undefined,
  );
  const late = refuseSubmission(by, awaiting, DEADLINE);
  assert.equal(late?.type, 'DeadlinePassed');
  assert.match(late.message, /2026-06-10T12:00:00.000Z has passed/);
  assert.equal(refuseSubmission(by, { ...awaiting, stage: 'expired' }, OPENED)?.type, 'DeadlinePassed');
});

test('a submission with a bad time or text is InvalidDecision; one at the wrong stage is refused', () => {
  const now = DEADLINE - 24 * HOUR;
  assert.equal(refuseSubmission({ ...by, submittedAt: 'yesterday' }, awaiting, now)?.type, 'InvalidDecision');
  assert.equal(
    refuseSubmission({ ...by, submittedAt: new Date(now + HOUR).toISOString() }, awaiting, now)?.message,
    'submittedAt is in the future',
  );
  assert.equal(
    refuseSubmission({ ...by, submittedAt: '2026-06-01T00:00:00Z' }, awaiting, now)?.type,
    'InvalidDecision',
  );
  assert.equal(refuseSubmission({ ...by, reference: 'x'.repeat(201) }, awaiting, now)?.type, 'InvalidDecision');
  assert.equal(refuseSubmission(by, { ...awaiting, stage: 'gathering_evidence' }, now)?.type, 'Refused');
  assert.equal(refuseSubmission(by, { ...awaiting, stage: 'submitted' }, now)?.type, 'Refused');
});

test('outcomes: allowed values, amounts within what is at stake, only after a submission', () => {
  const submitted = { stage: 'submitted' as const, amount: { amount: '42.50' } };
  assert.equal(refuseOutcome({ ...by, outcome: 'won' }, submitted), undefined);
  assert.equal(refuseOutcome({ ...by, outcome: 'partially_won', amountRecovered: '20.00' }, submitted), undefined);
  assert.equal(refuseOutcome({ ...by, outcome: 'lost' }, submitted), undefined);
  const invalid = [
    { ...by, outcome: 'draw' as 'won' },
    { ...by, outcome: 'partially_won' as const },
    { ...by, outcome: 'partially_won' as const, amountRecovered: '42.50' },
    { ...by, outcome: 'won' as const, amountRecovered: '42.51' },
    { ...by, outcome: 'won' as const, amountRecovered: '4,00' },
    { ...by, outcome: 'lost' as const, amountRecovered: '1.00' },
  ];
  for (const input of invalid)
    assert.equal(refuseOutcome(input, submitted)?.type, 'InvalidDecision', JSON.stringify(input));
  assert.equal(refuseOutcome({ ...by, outcome: 'won' }, { stage: 'awaiting_submission' })?.type, 'Refused');
  assert.equal(refuseOutcome({ ...by, outcome: 'won' }, { stage: 'won' })?.type, 'Refused');
  assert.equal(recoveredAmount({ ...by, outcome: 'won' }, { amount: '42.50' }), '42.50');
  assert.equal(recoveredAmount({ ...by, outcome: 'lost' }, { amount: '42.50' }), '0');
  assert.equal(recoveredAmount({ ...by, outcome: 'partially_won', amountRecovered: '5' }), '5');
});

test("reminders at the shop's offsets, earliest first, critical kept over warning at the same offset", () => {
  const plan = reminderPlan(DEADLINE, [
    { beforeDeadline: '24h', severity: 'warning' },
    { beforeDeadline: '72h', severity: 'warning' },
    { beforeDeadline: '1440m', severity: 'critical' },
  ]);
  assert.deepEqual(
    plan.map((r) => [new Date(r.fireAt).toISOString(), r.severity]),
    [
      ['2026-06-07T12:00:00.000Z', 'warning'],
      ['2026-06-09T12:00:00.000Z', 'critical'],
    ],
  );
  // The defaults: 72 h and 24 h warnings, a critical page 4 h before.
  const defaults = reminderPlan(DEADLINE, DEFAULT_SHOP_SETTINGS.disputes.reminders);
  assert.deepEqual(
    defaults.map((r) => [(DEADLINE - r.fireAt) / HOUR, r.severity]),
    [
      [72, 'warning'],
      [24, 'warning'],
      [4, 'critical'],
    ],
  );
});

test('disputes settings: offsets refused when repeated or unreadable', () => {
  const bad = shopSettingsSchema.safeParse({
    ...DEFAULT_SHOP_SETTINGS,
    disputes: {
      reminders: [
        { beforeDeadline: '1d', severity: 'warning' },
        { beforeDeadline: '24h', severity: 'critical' },
      ],
      outcomeExpectedWithin: 'soon',
    },
  });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error.issues.map((i) => i.path.join('.')).sort(), [
    'disputes.outcomeExpectedWithin',
    'disputes.reminders.1',
  ]);
});

test('the appeal window: 21 days in the US from 2025-10-30, the US row for a region without one', () => {
  const us = appealWindow('US', new Date('2026-01-05T00:00:00Z'));
  assert.equal(us.windowMs, 21 * 24 * HOUR);
  assert.match(us.source, /After-Sale Dispute Escalation Policy/);
  assert.match(us.source, /https:\/\/seller-us\.tiktok\.com\//);
  assert.equal(appealWindow('GB', new Date('2026-01-05T00:00:00Z')).windowMs, 21 * 24 * HOUR);
  // A decision older than every row: today's row.
  assert.equal(appealWindow('US', new Date('2024-01-01T00:00:00Z')).windowMs, 21 * 24 * HOUR);
});
