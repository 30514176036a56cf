// The monthly tax report's months in the shop's tax time zone (workflows/monthlyTaxReport/period.ts), the firing time
// of a month (temporal/taxReport.ts, what a backfill replays) and the tax settings (shopSettings/: defaults,
// validation, the region's time zone when the shop names none).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SHOP_SETTINGS, mergeShopSettings, shopSettingsSchema } from '../../shopSettings/schema';
import { resolveTaxSettings } from '../../shopSettings/tax';
import { firingOfPeriod, taxReportScheduleSpec } from '../../temporal/taxReport';
import {
  addMonths,
  parseTaxPeriod,
  taxPeriodBounds,
  taxPeriodEnded,
  taxPeriodOfFiring,
} from '../../workflows/monthlyTaxReport/period';

const LA = 'America/Los_Angeles';

test('a firing reports the month before its local month: the same instant differs between Los Angeles and UTC', () => {
  // 2026-12-01 06:30 UTC is 2026-11-30 22:30 in Los Angeles (PST, UTC-8).
  const at = new Date('2026-12-01T06:30:00.000Z');
  assert.equal(taxPeriodOfFiring(at, LA), '2026-10');
  assert.equal(taxPeriodOfFiring(at, 'UTC'), '2026-11');
  // Summer (PDT, UTC-7): 2026-07-01 06:59 UTC is 2026-06-30 23:59 there; a minute later it is July.
  assert.equal(taxPeriodOfFiring(new Date('2026-07-01T06:59:00.000Z'), LA), '2026-05');
  assert.equal(taxPeriodOfFiring(new Date('2026-07-01T07:00:00.000Z'), LA), '2026-06');
  // January reports December of the year before; east of UTC the local 1st starts the day before in UTC.
  assert.equal(taxPeriodOfFiring(new Date('2027-01-01T14:00:00.000Z'), LA), '2026-12');
  assert.equal(taxPeriodOfFiring(new Date('2026-12-31T20:00:00.000Z'), 'Asia/Tokyo'), '2026-12');
});

test('months: parsing, arithmetic across years, ended or not in the time zone', () => {
  assert.deepEqual(parseTaxPeriod('2026-11'), { period: '2026-11' });
  for (const bad of ['2026-13', '2026-1', '26-11', '2026-11-01', ''])
    assert.ok('error' in parseTaxPeriod(bad), `${bad} refused`);
  assert.equal(addMonths('2026-12', 1), '2027-01');
  assert.equal(addMonths('2026-01', -1), '2025-12');
  assert.equal(addMonths('2026-03', -24), '2024-03');
  const now = new Date('2026-12-01T06:30:00.000Z'); // still November in Los Angeles
  assert.equal(taxPeriodEnded('2026-11', now, 'UTC'), true);
  assert.equal(taxPeriodEnded('2026-11', now, LA), false);
  assert.equal(taxPeriodEnded('2026-10', now, LA), true);
  // The month's sales window: local midnights (PDT then PST in Los Angeles; the November change inside).
  assert.deepEqual(taxPeriodBounds('2026-10', LA), {
    from: '2026-10-01T07:00:00.000Z',
    to: '2026-11-01T07:00:00.000Z',
  });
  assert.deepEqual(taxPeriodBounds('2026-11', LA), {
    from: '2026-11-01T07:00:00.000Z',
    to: '2026-12-01T08:00:00.000Z',
  });
  assert.deepEqual(taxPeriodBounds('2026-12', 'UTC'), {
    from: '2026-12-01T00:00:00.000Z',
    to: '2027-01-01T00:00:00.000Z',
  });
});

test("a month's firing is the 1st of the month after, at the shop's hour in its time zone (DST included)", () => {
  assert.equal(firingOfPeriod('2026-10', { timeZone: LA, scheduleHour: 6 }).toISOString(), '2026-11-01T14:00:00.000Z');
  assert.equal(firingOfPeriod('2026-05', { timeZone: LA, scheduleHour: 6 }).toISOString(), '2026-06-01T13:00:00.000Z');
  assert.equal(
    firingOfPeriod('2026-12', { timeZone: 'UTC', scheduleHour: 0 }).toISOString(),
    '2027-01-01T00:00:00.000Z',
  );
  // And the firing reports that month again.
  for (const p of ['2026-01', '2026-03', '2026-11', '2026-12'])
    assert.equal(taxPeriodOfFiring(firingOfPeriod(p, { timeZone: LA, scheduleHour: 0 }), LA), p);
  assert.deepEqual(taxReportScheduleSpec({ timeZone: LA, scheduleHour: 6 }), {
    calendars: [{ dayOfMonth: 1, hour: 6, minute: 0, comment: 'the month before is reported' }],
    timezone: LA,
  });
});

test("tax settings: defaults (no engine, region's time zone, 06:00, 10 days), validation, overrides", () => {
  assert.deepEqual(DEFAULT_SHOP_SETTINGS.tax, {
    engine: 'none',
    timeZone: null,
    scheduleHour: 6,
    approvalWindow: '10d',
  });
  assert.deepEqual(resolveTaxSettings(DEFAULT_SHOP_SETTINGS, 'US'), {
    engine: 'none',
    timeZone: LA,
    scheduleHour: 6,
    approvalWindowMs: 10 * 86_400_000,
  });
  const issues = (tax: Record<string, unknown>) => {
    const r = shopSettingsSchema.safeParse(mergeShopSettings(DEFAULT_SHOP_SETTINGS, { tax }));
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(
    issues({ engine: 'taxjar', timeZone: 'America/New_York', scheduleHour: 0, approvalWindow: '2d' }),
    [],
  );
  assert.deepEqual(issues({ timeZone: 'Mars/Olympus' }), [
    "tax.timeZone: an IANA time zone name, e.g. 'America/New_York'",
  ]);
  assert.equal(issues({ engine: 'vertex' }).length, 1);
  assert.equal(issues({ scheduleHour: 24 }).length, 1);
  assert.equal(issues({ approvalWindow: 'soon' }).length, 1);
  const ny = mergeShopSettings(DEFAULT_SHOP_SETTINGS, { tax: { timeZone: 'America/New_York', engine: 'avatax' } });
  assert.deepEqual(
    [resolveTaxSettings(ny, 'US').timeZone, resolveTaxSettings(ny, 'US').engine],
    ['America/New_York', 'avatax'],
  );
  // null puts the shop back on its region's time zone.
  const back = mergeShopSettings(ny, { tax: { timeZone: null } });
  assert.equal(resolveTaxSettings(back, 'US').timeZone, LA);
});
