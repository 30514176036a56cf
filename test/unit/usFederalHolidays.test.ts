import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actualFederalHolidays,
  isActualFederalHoliday,
  isObservedFederalHoliday,
  observedFederalHolidays,
} from '../../policy/usFederalHolidays';

// Expected lists computed by hand from a calendar (5 U.S.C. 6103; Saturday → Friday before, Sunday → Monday after).

test('2021: Juneteenth (Sat 19) on Fri 18, July 4 (Sun) on Mon 5, Christmas (Sat) on Fri 24, New Year 2022 (Sat) on Fri 31', () => {
  assert.deepEqual(observedFederalHolidays(2021), [
    { date: '2021-01-01', name: "New Year's Day" }, // Friday
    { date: '2021-01-18', name: 'Birthday of Martin Luther King, Jr.' }, // Mondays 4, 11, 18
    { date: '2021-02-15', name: "Washington's Birthday" }, // Mondays 1, 8, 15
    { date: '2021-05-31', name: 'Memorial Day' }, // last Monday
    { date: '2021-06-18', name: 'Juneteenth National Independence Day' }, // 19th is a Saturday
    { date: '2021-07-05', name: 'Independence Day' }, // 4th is a Sunday
    { date: '2021-09-06', name: 'Labor Day' }, // Sep 1 is a Wednesday
    { date: '2021-10-11', name: 'Columbus Day' }, // Mondays 4, 11
    { date: '2021-11-11', name: 'Veterans Day' }, // Thursday
    { date: '2021-11-25', name: 'Thanksgiving Day' }, // Thursdays 4, 11, 18, 25
    { date: '2021-12-24', name: 'Christmas Day' }, // 25th is a Saturday
    { date: '2021-12-31', name: "New Year's Day" }, // 2022-01-01 is a Saturday
  ]);
});

test('2022 does not list its own New Year (observed in 2021) and moves Christmas (Sun) to Mon 26', () => {
  const dates = observedFederalHolidays(2022).map((h) => h.date);
  assert.equal(dates[0], '2022-01-17');
  assert.ok(!dates.includes('2022-01-01'));
  assert.ok(dates.includes('2022-12-26'));
  assert.equal(dates.length, 10);
});

test('2026: July 4 (Sat) observed Fri July 3; Christmas on Fri 25; New Year 2027 (Fri) not in 2026', () => {
  assert.deepEqual(
    observedFederalHolidays(2026).map((h) => h.date),
    [
      '2026-01-01', // Thursday
      '2026-01-19', // Jan 1 Thu → Mondays 5, 12, 19
      '2026-02-16', // Feb 1 Sun → Mondays 2, 9, 16
      '2026-05-25', // May 31 is a Sunday → last Monday 25
      '2026-06-19', // Friday
      '2026-07-03', // 4th is a Saturday
      '2026-09-07', // Sep 1 Tue → Monday 7
      '2026-10-12', // Oct 1 Thu → Mondays 5, 12
      '2026-11-11', // Wednesday
      '2026-11-26', // Nov 1 Sun → Thursdays 5, 12, 19, 26
      '2026-12-25', // Friday
    ],
  );
});

test('2027: New Year on Fri Jan 1 itself; Juneteenth Fri 18; July 5; Christmas Fri 24; New Year 2028 on Fri Dec 31', () => {
  assert.deepEqual(
    observedFederalHolidays(2027).map((h) => h.date),
    [
      '2027-01-01',
      '2027-01-18',
      '2027-02-15',
      '2027-05-31',
      '2027-06-18',
      '2027-07-05',
      '2027-09-06',
      '2027-10-11',
      '2027-11-11',
      '2027-11-25',
      '2027-12-24',
      '2027-12-31',
    ],
  );
});

test('Juneteenth only from 2021', () => {
  const names2020 = observedFederalHolidays(2020).map((h) => h.name);
  assert.equal(names2020.length, 10);
  assert.ok(!names2020.some((n) => n.startsWith('Juneteenth')));
  assert.ok(observedFederalHolidays(2021).some((h) => h.name.startsWith('Juneteenth')));
});

test('isObservedFederalHoliday answers by observed date', () => {
  assert.equal(isObservedFederalHoliday('2021-12-31'), true);
  assert.equal(isObservedFederalHoliday('2022-01-01'), false);
  assert.equal(isObservedFederalHoliday('2026-07-03'), true);
  assert.equal(isObservedFederalHoliday('2026-07-04'), false);
  assert.equal(isObservedFederalHoliday('2026-12-25'), true);
  assert.equal(isObservedFederalHoliday('2027-01-01'), true);
  assert.equal(isObservedFederalHoliday('2026-12-31'), false);
  assert.throws(() => isObservedFederalHoliday('2026-7-3'), RangeError);
});

test('the legal (unshifted) dates are available as an override calendar', () => {
  const dates = actualFederalHolidays(2021).map((h) => h.date);
  assert.ok(dates.includes('2021-06-19') && dates.includes('2021-07-04') && dates.includes('2021-12-25'));
  assert.ok(!dates.includes('2021-12-31'));
  assert.equal(isActualFederalHoliday('2026-07-04'), true);
  assert.equal(isActualFederalHoliday('2026-07-03'), false);
});
