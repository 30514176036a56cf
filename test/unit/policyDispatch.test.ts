import { test } from 'node:test';
import assert from 'node:assert/strict';
// dispatch is imported before the index on purpose: it must load first without a module cycle.
import { DISPATCH_ROWS, dispatchDeadline, escalationTimes } from '../../policy/dispatch';
import { POLICY_ROWS, PolicyNotFoundError, policy } from '../../policy';
import {
  addBusinessDays,
  businessDaysBetween,
  isBusinessDay,
  zonedWallClockToUtc,
  type BusinessCalendar,
} from '../../policy/businessCalendar';
import { isActualFederalHoliday, isObservedFederalHoliday } from '../../policy/usFederalHolidays';

const LA = 'America/Los_Angeles';
const US: BusinessCalendar = { timeZone: LA, isHoliday: isObservedFederalHoliday };

// Pacific is UTC−8 (PST) from the first Sunday of November to the second Sunday of March, UTC−7 (PDT) otherwise.
// 23:59:59.999 PST is 07:59:59.999Z of the next UTC day; 23:59:59.999 PDT is 06:59:59.999Z of the next UTC day.

interface Expected {
  key: string;
  effectiveFrom: string;
  value: unknown;
  uncertain: boolean;
  source: RegExp;
}

const EXPECTED_ROWS: Expected[] = [
  {
    key: 'dispatch.sla.businessDays',
    effectiveFrom: '2023-09-01',
    value: 2,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*within 2 business days/,
  },
  {
    key: 'dispatch.sla.businessDays',
    effectiveFrom: '2026-03-02',
    value: 2,
    uncertain: false,
    source: /rev\. 2026-03-02.*carrier scan/,
  },
  {
    key: 'dispatch.sla.event',
    effectiveFrom: '2023-09-01',
    value: 'AWAITING_COLLECTION',
    uncertain: true,
    source: /rts_sla_time.*rev\. 2026-01-09/,
  },
  {
    key: 'dispatch.sla.event',
    effectiveFrom: '2026-03-02',
    value: 'IN_TRANSIT',
    uncertain: false,
    source: /rev\. 2026-03-02/,
  },
  {
    key: 'dispatch.cutoff.localTime',
    effectiveFrom: '2023-09-01',
    value: '23:59',
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*11:59 PM PST/,
  },
  {
    key: 'dispatch.timezone',
    effectiveFrom: '2023-09-01',
    value: LA,
    uncertain: true,
    source: /fulfillment requirement \(SLA\).*PST/,
  },
  {
    key: 'dispatch.calendar.weekendDays',
    effectiveFrom: '2023-09-01',
    value: [0, 6],
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*Saturdays, Sundays/,
  },
  {
    key: 'dispatch.calendar.holidays',
    effectiveFrom: '2023-09-01',
    value: 'us-federal-observed',
    uncertain: true,
    source: /fulfillment requirement \(SLA\).*federal holidays/,
  },
  {
    key: 'dispatch.nonBusinessDayOrder',
    effectiveFrom: '2023-09-01',
    value: 'orderDateIsDayZero',
    uncertain: true,
    source: /fulfillment requirement \(SLA\).*day 0/,
  },
  {
    key: 'dispatch.preOrder.afterClose.businessDays',
    effectiveFrom: '2023-09-01',
    value: 1,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*Pre-Order closure/,
  },
  {
    key: 'handling.standard',
    effectiveFrom: '2023-09-01',
    value: { min: 1, max: 2, unit: 'businessDays' },
    uncertain: true,
    source: /Handling-time ranges.*1–2 BD/,
  },
  {
    key: 'handling.backorder',
    effectiveFrom: '2023-09-01',
    value: { min: 3, max: 15, unit: 'businessDays' },
    uncertain: true,
    source: /Handling-time ranges.*Backorder 3–15 BD/,
  },
  {
    key: 'handling.custom',
    effectiveFrom: '2023-09-01',
    value: { min: 3, max: 7, unit: 'businessDays' },
    uncertain: true,
    source: /Handling-time ranges.*Custom 3–7 BD/,
  },
  {
    key: 'handling.madeToOrder',
    effectiveFrom: '2023-09-01',
    value: { min: 3, max: 14, unit: 'businessDays' },
    uncertain: true,
    source: /Handling-time ranges.*Made-to-order 3–14 BD/,
  },
  {
    key: 'handling.preOrder',
    effectiveFrom: '2023-09-01',
    value: { min: 3, max: 60, unit: 'calendarDays' },
    uncertain: true,
    source: /Handling-time ranges.*3–60 calendar days/,
  },
  {
    key: 'order.remorseWindow.minutes',
    effectiveFrom: '2023-09-01',
    value: 60,
    uncertain: false,
    source: /Order API overview.*1 hour/,
  },
  {
    key: 'order.autoCancel.businessDays',
    effectiveFrom: '2023-09-01',
    value: 7,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*7 business days/,
  },
  {
    key: 'order.autoCancel.afterHandling.businessDays',
    effectiveFrom: '2023-09-01',
    value: 4,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*4 business days/,
  },
  {
    key: 'order.autoCancel.afterPreOrder.businessDays',
    effectiveFrom: '2023-09-01',
    value: 5,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*5 business days/,
  },
  {
    key: 'delivery.sla.businessDays',
    effectiveFrom: '2023-09-01',
    value: 6,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*6 business days/,
  },
  {
    key: 'delivery.afterHandling.businessDays',
    effectiveFrom: '2023-09-01',
    value: 5,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*handling time \+ 5/,
  },
  {
    key: 'delivery.afterPreOrderClose.businessDays',
    effectiveFrom: '2023-09-01',
    value: 6,
    uncertain: false,
    source: /fulfillment requirement \(SLA\).*closure date/,
  },
  {
    key: 'ldr.recommendedMax',
    effectiveFrom: '2026-01-09',
    value: 0.04,
    uncertain: false,
    source: /Late Dispatch Rate.*rev\. 2026-01-09.*4% required/,
  },
  {
    key: 'ldr.recommendedMax',
    effectiveFrom: '2026-03-02',
    value: 0.04,
    uncertain: false,
    source: /rev\. 2026-03-02.*recommended/,
  },
  {
    key: 'ldr.enforcementAbove',
    effectiveFrom: '2026-01-09',
    value: 0.04,
    uncertain: false,
    source: /rev\. 2026-01-09/,
  },
  {
    key: 'ldr.enforcementAbove',
    effectiveFrom: '2026-03-02',
    value: 0.1,
    uncertain: false,
    source: /rev\. 2026-03-02.*> 10%/,
  },
  { key: 'ldr.window.days', effectiveFrom: '2026-01-09', value: 7, uncertain: true, source: /3p/ },
  {
    key: 'vtr.min',
    effectiveFrom: '2025-10-31',
    value: 0.95,
    uncertain: false,
    source: /Valid Tracking Rate.*95%/,
  },
  { key: 'vtr.minCarrierScans', effectiveFrom: '2025-10-31', value: 2, uncertain: true, source: /3p/ },
  {
    key: 'vtr.window.days',
    effectiveFrom: '2025-10-31',
    value: { min: 14, max: 21 },
    uncertain: true,
    source: /3p/,
  },
  { key: 'sfcr.max', effectiveFrom: '2023-09-01', value: 0.025, uncertain: false, source: /SFCR.*2\.5%/ },
  { key: 'sfcr.window.days', effectiveFrom: '2023-09-01', value: 30, uncertain: true, source: /3p/ },
  {
    key: 'escalation.offsets',
    effectiveFrom: '2023-09-01',
    value: ['24h', '12h', '4h'],
    uncertain: false,
    source: /^product decision/,
  },
];

test('every dispatch row: value, effective date, uncertainty and cited source', () => {
  assert.equal(DISPATCH_ROWS.length, EXPECTED_ROWS.length);
  for (const e of EXPECTED_ROWS) {
    const row = DISPATCH_ROWS.find((r) => r.key === e.key && r.effectiveFrom === e.effectiveFrom);
    assert.ok(row, `missing ${e.key} @ ${e.effectiveFrom}`);
    assert.equal(row.region, 'US');
    assert.deepEqual(row.value, e.value, e.key);
    assert.equal(row.uncertain === true, e.uncertain, `${e.key} uncertain`);
    assert.match(row.source, e.source, e.key);
  }
  for (const r of DISPATCH_ROWS) assert.ok(POLICY_ROWS.includes(r), `${r.key} is in POLICY_ROWS`);
});

test('LDR: ≤4% required before 2026-03-02; from it 4% recommended and enforcement above 10%', () => {
  // policyValue picks rows by the UTC date of `at`; 2026-03-02T00:00Z is the first instant of the new revision.
  const before = new Date('2026-03-01T23:59:59Z');
  const after = new Date('2026-03-02T00:00:00Z');
  assert.equal(policy<number>('US', 'ldr.enforcementAbove', before).value, 0.04);
  assert.equal(policy<number>('US', 'ldr.enforcementAbove', after).value, 0.1);
  assert.equal(policy<number>('US', 'ldr.recommendedMax', before).value, 0.04);
  assert.equal(policy<number>('US', 'ldr.recommendedMax', after).value, 0.04);
  assert.match(policy('US', 'ldr.recommendedMax', before).source, /rev\. 2026-01-09/);
  assert.match(policy('US', 'ldr.recommendedMax', after).source, /rev\. 2026-03-02/);
  // No revision before 2026-01-09 was consulted: asking earlier is an error, never a guess.
  assert.throws(() => policy('US', 'ldr.enforcementAbove', new Date('2025-12-31T00:00:00Z')), PolicyNotFoundError);
});

test('Thu 2026-12-24 20:00 PST is due Tue 12-29 23:59 PST; auto-cancel 7 BD later skips New Year 2027 (Fri Jan 1)', () => {
  // Day 0 Thu 24; Fri 25 Christmas, Sat 26, Sun 27 skipped; Mon 28 = 1, Tue 29 = 2.
  // Auto-cancel: Wed 30 = 3, Thu 31 = 4, Fri Jan 1 holiday, Mon 4 = 5, Tue 5 = 6, Wed Jan 6 = 7.
  const paidAt = new Date('2026-12-25T04:00:00Z'); // 20:00 PST on the 24th (already the 25th in UTC)
  const d = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt });
  assert.equal(d.shipBy.toISOString(), '2026-12-30T07:59:59.999Z');
  assert.equal(d.autoCancelAt.toISOString(), '2027-01-07T07:59:59.999Z');
  assert.equal(d.remorseEndsAt.toISOString(), '2026-12-25T05:00:00.000Z');
  assert.equal(d.dispatchEvent, 'IN_TRANSIT');
  const keys = d.rowsUsed.map((r) => r.key);
  for (const k of [
    'dispatch.sla.businessDays',
    'dispatch.timezone',
    'dispatch.cutoff.localTime',
    'order.autoCancel.businessDays',
  ]) {
    assert.ok(keys.includes(k), k);
  }
  assert.equal(businessDaysBetween(paidAt, d.shipBy, US), 2);
  assert.equal(businessDaysBetween(paidAt, d.autoCancelAt, US), 7);
  assert.equal(businessDaysBetween(d.shipBy, paidAt, US), -2);
});

test('an order ON the observed Independence Day, Fri 2026-07-03, is due Tue 07-07 (day 0 = Jul 3)', () => {
  // Day 0 Fri 3 (holiday), Sat 4, Sun 5; Mon 6 = 1, Tue 7 = 2 → 23:59:59.999 PDT = 2026-07-08T06:59:59.999Z.
  const d = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-07-03T17:00:00Z') });
  assert.equal(d.shipBy.toISOString(), '2026-07-08T06:59:59.999Z');
  // The other reading (next business day is day 0: Mon 6 = 0, Tue 7 = 1, Wed 8 = 2) is one row away.
  const alt = addBusinessDays(new Date('2026-07-03T17:00:00Z'), 2, {
    ...US,
    nonBusinessDayStart: 'nextBusinessDayIsDayZero',
  });
  assert.equal(alt.toISOString(), '2026-07-09T06:59:59.999Z');
  // Thu Jul 2 with observed dates: Fri 3 is skipped → Mon 6 = 1, Tue 7 = 2. With legal dates only Fri 3 counts → Mon 6.
  const thu = new Date('2026-07-02T17:00:00Z');
  assert.equal(addBusinessDays(thu, 2, US).toISOString(), '2026-07-08T06:59:59.999Z');
  assert.equal(
    addBusinessDays(thu, 2, { ...US, isHoliday: isActualFederalHoliday }).toISOString(),
    '2026-07-07T06:59:59.999Z',
  );
});

test('a Saturday order (2026-07-11) is due Tuesday, like a Friday order', () => {
  // Day 0 Sat 11; Mon 13 = 1, Tue 14 = 2. Friday 10: Mon 13 = 1, Tue 14 = 2.
  const sat = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-07-11T16:00:00Z') });
  const fri = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-07-10T16:00:00Z') });
  assert.equal(sat.shipBy.toISOString(), '2026-07-15T06:59:59.999Z');
  assert.equal(fri.shipBy.toISOString(), sat.shipBy.toISOString());
  const alt = addBusinessDays(new Date('2026-07-11T16:00:00Z'), 2, {
    ...US,
    nonBusinessDayStart: 'nextBusinessDayIsDayZero',
  });
  assert.equal(alt.toISOString(), '2026-07-16T06:59:59.999Z'); // Wednesday
});

test('the local calendar day decides: Mon 23:30 PDT is due Wed, Tue 00:10 PDT is due Thu', () => {
  // 2026-06-15 is a Monday. 23:30 PDT is already Tuesday 06:30 in UTC; counting the UTC date would give Thursday.
  const late = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-06-16T06:30:00Z') });
  assert.equal(late.shipBy.toISOString(), '2026-06-18T06:59:59.999Z'); // Wed 17 23:59:59.999 PDT
  const early = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-06-16T07:10:00Z') });
  assert.equal(early.shipBy.toISOString(), '2026-06-19T06:59:59.999Z'); // Thu 18 23:59:59.999 PDT
  // Auto-cancel from Tue 16: Wed 17 = 1, Thu 18 = 2, Fri 19 Juneteenth, Mon 22..Fri 26 = 3..7.
  assert.equal(early.autoCancelAt.toISOString(), '2026-06-27T06:59:59.999Z');
  // The 1-hour remorse window ends after midnight but does not move the order date.
  assert.equal(late.remorseEndsAt.toISOString(), '2026-06-16T07:30:00.000Z');
});

test('across spring-forward (Sun 2027-03-14): ordered in PST, due 23:59 PDT', () => {
  // Thu 2027-03-11 10:00 PST; Fri 12 = 1, Mon 15 = 2 → 23:59:59.999 PDT (UTC−7) = 03-16T06:59:59.999Z.
  // A fixed −8 h offset would give 07:59:59.999Z, an hour late.
  const d = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2027-03-11T18:00:00Z') });
  assert.equal(d.shipBy.toISOString(), '2027-03-16T06:59:59.999Z');
  // Auto-cancel: Tue 16 = 3, Wed 17 = 4, Thu 18 = 5, Fri 19 = 6, Mon 22 = 7.
  assert.equal(d.autoCancelAt.toISOString(), '2027-03-23T06:59:59.999Z');
});

test('across fall-back (Sun 2026-11-01): ordered in PDT, due 23:59 PST; Veterans Day skipped', () => {
  // Thu 2026-10-29 12:00 PDT; Fri 30 = 1, Mon Nov 2 = 2 → 23:59:59.999 PST (UTC−8) = 11-03T07:59:59.999Z.
  const d = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-10-29T19:00:00Z') });
  assert.equal(d.shipBy.toISOString(), '2026-11-03T07:59:59.999Z');
  // Mon 2026-11-09: Tue 10 = 1, Wed 11 Veterans Day, Thu 12 = 2.
  const v = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-11-09T20:00:00Z') });
  assert.equal(v.shipBy.toISOString(), '2026-11-13T07:59:59.999Z');
});

test('the dispatch event follows the LDR revision of the order date', () => {
  const old = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-02-10T20:00:00Z') });
  assert.equal(old.dispatchEvent, 'AWAITING_COLLECTION');
  const sla = old.rowsUsed.find((r) => r.key === 'dispatch.sla.businessDays');
  assert.equal(sla?.effectiveFrom, '2023-09-01');
  const now = dispatchDeadline({ region: 'US', orderType: 'standard', paidAt: new Date('2026-03-03T20:00:00Z') });
  assert.equal(now.rowsUsed.find((r) => r.key === 'dispatch.sla.businessDays')?.effectiveFrom, '2026-03-02');
  // `at` chooses the rows independently of the order date.
  const asOf = dispatchDeadline({
    region: 'US',
    orderType: 'standard',
    paidAt: new Date('2026-02-10T20:00:00Z'),
    at: new Date('2026-03-02T12:00:00Z'),
  });
  assert.equal(asOf.dispatchEvent, 'IN_TRANSIT');
});

test('handling-time orders: deadline = handling time; auto-cancel 4 BD after it', () => {
  const paidAt = new Date('2026-12-25T04:00:00Z'); // Thu 2026-12-24 20:00 PST
  // Backorder 5 BD: Mon 28, Tue 29, Wed 30, Thu 31, (Fri Jan 1), Mon Jan 4 = 5. Auto-cancel: Tue 5..Fri 8 = 4.
  const b = dispatchDeadline({ region: 'US', orderType: 'backorder', handlingDays: 5, paidAt });
  assert.equal(b.shipBy.toISOString(), '2027-01-05T07:59:59.999Z');
  assert.equal(b.autoCancelAt.toISOString(), '2027-01-09T07:59:59.999Z');
  assert.ok(b.rowsUsed.some((r) => r.key === 'handling.backorder'));
  assert.ok(b.rowsUsed.some((r) => r.key === 'order.autoCancel.afterHandling.businessDays'));
  // Standard with a 1-BD shop default: Mon 28.
  const s = dispatchDeadline({ region: 'US', orderType: 'standard', handlingDays: 1, paidAt });
  assert.equal(s.shipBy.toISOString(), '2026-12-29T07:59:59.999Z');
  // Ranges are enforced from the rows.
  assert.throws(() => dispatchDeadline({ region: 'US', orderType: 'backorder', handlingDays: 2, paidAt }), RangeError);
  assert.throws(() => dispatchDeadline({ region: 'US', orderType: 'backorder', paidAt }), RangeError);
  assert.doesNotThrow(() => dispatchDeadline({ region: 'US', orderType: 'made_to_order', handlingDays: 14, paidAt }));
  assert.throws(
    () => dispatchDeadline({ region: 'US', orderType: 'made_to_order', handlingDays: 15, paidAt }),
    RangeError,
  );
  assert.throws(() => dispatchDeadline({ region: 'US', orderType: 'custom', handlingDays: 8, paidAt }), RangeError);
  assert.throws(() => dispatchDeadline({ region: 'US', orderType: 'standard', handlingDays: 3, paidAt }), RangeError);
});

test('pre-orders: 1 BD after the closure date, or the calendar-day handling time; auto-cancel 5 BD later', () => {
  // Closes Fri 2026-07-03 13:00 PDT (observed holiday): Mon 6 = 1. Auto-cancel: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13.
  const c = dispatchDeadline({
    region: 'US',
    orderType: 'pre_order',
    paidAt: new Date('2026-06-01T17:00:00Z'),
    preOrderClosesAt: new Date('2026-07-03T20:00:00Z'),
  });
  assert.equal(c.shipBy.toISOString(), '2026-07-07T06:59:59.999Z');
  assert.equal(c.autoCancelAt.toISOString(), '2026-07-14T06:59:59.999Z');
  // 10 calendar days from Thu 2026-12-24 → Sun 2027-01-03; auto-cancel Mon 4..Fri 8 = 5.
  const h = dispatchDeadline({
    region: 'US',
    orderType: 'pre_order',
    handlingDays: 10,
    paidAt: new Date('2026-12-25T04:00:00Z'),
  });
  assert.equal(h.shipBy.toISOString(), '2027-01-04T07:59:59.999Z');
  assert.equal(h.autoCancelAt.toISOString(), '2027-01-09T07:59:59.999Z');
  assert.throws(
    () =>
      dispatchDeadline({
        region: 'US',
        orderType: 'pre_order',
        handlingDays: 61,
        paidAt: new Date('2026-12-25T04:00:00Z'),
      }),
    RangeError,
  );
});

test('escalations at 24 h, 12 h and 4 h before the deadline', () => {
  const shipBy = new Date('2026-12-30T07:59:59.999Z');
  assert.deepEqual(
    escalationTimes('US', shipBy).map((e) => [e.offset, e.fireAt.toISOString()]),
    [
      ['24h', '2026-12-29T07:59:59.999Z'],
      ['12h', '2026-12-29T19:59:59.999Z'],
      ['4h', '2026-12-30T03:59:59.999Z'],
    ],
  );
});

test('business-day predicates and wall-clock conversion at DST edges', () => {
  assert.equal(isBusinessDay('2026-12-25', US), false); // Christmas (Fri)
  assert.equal(isBusinessDay('2026-12-26', US), false); // Saturday
  assert.equal(isBusinessDay('2026-12-28', US), true); // Monday
  assert.equal(isBusinessDay('2026-12-31', US), true); // Thursday; New Year 2027 is observed on Fri Jan 1
  // 02:30 does not exist on 2027-03-14 in Los Angeles: resolved forward to 03:30 PDT = 10:30Z.
  assert.equal(zonedWallClockToUtc('2027-03-14', '02:30', LA).toISOString(), '2027-03-14T10:30:00.000Z');
  // 01:30 happens twice on 2026-11-01: the first (PDT, UTC−7) is 08:30Z.
  assert.equal(zonedWallClockToUtc('2026-11-01', '01:30', LA).toISOString(), '2026-11-01T08:30:00.000Z');
  assert.throws(() => addBusinessDays(new Date(), -1, US), RangeError);
});
