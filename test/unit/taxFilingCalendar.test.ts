// Due dates of registered states' returns (tax/filingCalendar.ts). Weekdays and holidays worked out by hand from a
// calendar: 2026-05-31 is a Sunday, 2026-06-20 a Saturday, 2025-01-20 Martin Luther King Jr. Day (a Monday),
// 2027-01-23 a Saturday.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filingCalendar, type FilingRegistration } from '../../tax/filingCalendar';

const reg = (
  state: string,
  frequency: FilingRegistration['frequency'],
  startDate = '2020-01-01',
): FilingRegistration => ({
  state,
  frequency,
  startDate,
});
const dues = (registrations: FilingRegistration[], from: string, to: string) =>
  filingCalendar({ registrations, from, to }).map((d) => [d.state, d.period.from, d.period.to, d.nominalDue, d.due]);

test('monthly returns: TX the 20th, CA the last day of the next month, moved off weekends', () => {
  assert.deepEqual(dues([reg('TX', 'monthly'), reg('CA', 'monthly')], '2026-03-01', '2026-05-31'), [
    ['TX', '2026-03-01', '2026-03-31', '2026-04-20', '2026-04-20'],
    ['CA', '2026-03-01', '2026-03-31', '2026-04-30', '2026-04-30'],
    ['TX', '2026-04-01', '2026-04-30', '2026-05-20', '2026-05-20'],
    // CA April: 31 May is a Sunday → Monday 1 June.
    ['CA', '2026-04-01', '2026-04-30', '2026-05-31', '2026-06-01'],
    // TX May: 20 June is a Saturday → Monday 22 June.
    ['TX', '2026-05-01', '2026-05-31', '2026-06-20', '2026-06-22'],
    ['CA', '2026-05-01', '2026-05-31', '2026-06-30', '2026-06-30'],
  ]);
});

test('a federal holiday moves the due date: TX December 2024 was due on MLK Day, so 21 January 2025', () => {
  const [d] = filingCalendar({ registrations: [reg('TX', 'monthly')], from: '2024-12-01', to: '2024-12-31' });
  assert.equal(d?.nominalDue, '2025-01-20');
  assert.equal(d?.due, '2025-01-21');
  assert.equal(d?.moved, true);
  assert.deepEqual(d?.flags, []);
});

test("NY's quarters run Mar–May, Jun–Aug, Sep–Nov, Dec–Feb; WA's annual return is due 15 April; OH semiannual the 23rd", () => {
  assert.deepEqual(dues([reg('NY', 'quarterly')], '2026-01-01', '2026-12-31'), [
    ['NY', '2025-12-01', '2026-02-28', '2026-03-20', '2026-03-20'],
    ['NY', '2026-03-01', '2026-05-31', '2026-06-20', '2026-06-22'],
    ['NY', '2026-06-01', '2026-08-31', '2026-09-20', '2026-09-21'],
    ['NY', '2026-09-01', '2026-11-30', '2026-12-20', '2026-12-21'],
  ]);
  assert.deepEqual(dues([reg('WA', 'annual')], '2025-12-01', '2025-12-31'), [
    ['WA', '2025-01-01', '2025-12-31', '2026-04-15', '2026-04-15'],
  ]);
  assert.deepEqual(dues([reg('OH', 'semiannual')], '2026-01-01', '2026-12-31'), [
    ['OH', '2026-01-01', '2026-06-30', '2026-07-23', '2026-07-23'],
    ['OH', '2026-07-01', '2026-12-31', '2027-01-23', '2027-01-25'],
  ]);
});

test('an unsourced state: the 20th, never moved, flagged; a frequency the state rule lacks is flagged too', () => {
  const [ky] = filingCalendar({ registrations: [reg('KY', 'monthly')], from: '2026-05-01', to: '2026-05-31' });
  assert.equal(ky?.due, '2026-06-20'); // a Saturday, not moved
  assert.equal(ky?.moved, false);
  assert.deepEqual(ky?.flags, [{ ruleId: 'KY.filing@2018-06-21', state: 'KY', topic: 'filing', reason: 'unsourced' }]);
  // OH states monthly and semiannual only: an assigned quarterly frequency gets the default, flagged.
  const [oh] = filingCalendar({ registrations: [reg('OH', 'quarterly')], from: '2026-03-01', to: '2026-03-31' });
  assert.equal(oh?.frequencyNotInRule, true);
  assert.equal(oh?.due, '2026-04-20');
  assert.equal(oh?.flags[0]?.reason, 'unsourced');
});

test('periods ending before the registration starts are not listed', () => {
  assert.deepEqual(dues([reg('TX', 'monthly', '2026-04-10')], '2026-03-01', '2026-04-30'), [
    ['TX', '2026-04-01', '2026-04-30', '2026-05-20', '2026-05-20'],
  ]);
});
