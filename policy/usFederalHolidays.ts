/**
 * US federal holidays computed by rule (5 U.S.C. 6103), for the business-day clock of the US dispatch SLA
 * ("business days exclude Saturdays, Sundays and US federal holidays", seller-us.tiktok.com "What is the fulfillment requirement (SLA) for shipping orders?").
 *
 * Observed dates follow the federal rule (5 U.S.C. 6103(b), Executive Order 11582): a holiday on a Saturday is
 * observed on the Friday before, one on a Sunday on the Monday after. New Year's Day on a Saturday is therefore
 * observed on 31 December of the previous year, and is listed under that year. Juneteenth exists from 2021.
 * Pure code, no I/O, no clock: safe for activities and workflows alike.
 */

export interface FederalHoliday {
  /** Calendar date, YYYY-MM-DD. */
  date: string;
  name: string;
}

/** ISO weekday of a calendar date: 0 = Sunday … 6 = Saturday. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function iso(year: number, month: number, day: number): string {
  const t = new Date(Date.UTC(year, month - 1, day));
  const y = String(t.getUTCFullYear()).padStart(4, '0');
  const m = String(t.getUTCMonth() + 1).padStart(2, '0');
  const d = String(t.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Day of month of the nth `wd` (0 = Sunday) in a month; n = -1 is the last one. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  if (n > 0) return 1 + ((wd - weekday(year, month, 1) + 7) % 7) + (n - 1) * 7;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return lastDay - ((weekday(year, month, lastDay) - wd + 7) % 7);
}

/** A fixed-date holiday moved off the weekend: Saturday → Friday before, Sunday → Monday after. */
function observedFixed(year: number, month: number, day: number): string {
  const wd = weekday(year, month, day);
  if (wd === 6) return iso(year, month, day - 1);
  if (wd === 0) return iso(year, month, day + 1);
  return iso(year, month, day);
}

/** The holidays of `year` as defined by law (fixed dates NOT moved off weekends), in calendar order. */
export function actualFederalHolidays(year: number): FederalHoliday[] {
  return holidaysOf(year, false).filter((h) => h.date.startsWith(`${year}-`));
}

/**
 * The days in calendar year `year` on which a federal holiday is observed, in date order. Includes
 * New Year's Day of `year + 1` when it falls on a Saturday (observed on 31 December of `year`), and leaves
 * out New Year's Day of `year` in that case.
 */
export function observedFederalHolidays(year: number): FederalHoliday[] {
  const all = [...holidaysOf(year, true), ...holidaysOf(year + 1, true).slice(0, 1)];
  return all.filter((h) => h.date.startsWith(`${year}-`)).sort((a, b) => (a.date < b.date ? -1 : 1));
}

function holidaysOf(year: number, observed: boolean): FederalHoliday[] {
  const fixed = (month: number, day: number): string =>
    observed ? observedFixed(year, month, day) : iso(year, month, day);
  const list: FederalHoliday[] = [
    { date: fixed(1, 1), name: "New Year's Day" },
    { date: iso(year, 1, nthWeekday(year, 1, 1, 3)), name: 'Birthday of Martin Luther King, Jr.' },
    { date: iso(year, 2, nthWeekday(year, 2, 1, 3)), name: "Washington's Birthday" },
    { date: iso(year, 5, nthWeekday(year, 5, 1, -1)), name: 'Memorial Day' },
  ];
  if (year >= 2021) list.push({ date: fixed(6, 19), name: 'Juneteenth National Independence Day' });
  list.push(
    { date: fixed(7, 4), name: 'Independence Day' },
    { date: iso(year, 9, nthWeekday(year, 9, 1, 1)), name: 'Labor Day' },
    { date: iso(year, 10, nthWeekday(year, 10, 1, 2)), name: 'Columbus Day' },
    { date: fixed(11, 11), name: 'Veterans Day' },
    { date: iso(year, 11, nthWeekday(year, 11, 4, 4)), name: 'Thanksgiving Day' },
    { date: fixed(12, 25), name: 'Christmas Day' },
  );
  return list;
}

const observedCache = new Map<number, Set<string>>();
const actualCache = new Map<number, Set<string>>();

function yearOf(localDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!m) throw new RangeError(`expected a YYYY-MM-DD date, got ${localDate}`);
  return Number(m[1]);
}

/** True when a federal holiday is observed on the calendar date `localDate` (YYYY-MM-DD). */
export function isObservedFederalHoliday(localDate: string): boolean {
  const year = yearOf(localDate);
  let set = observedCache.get(year);
  if (!set) {
    set = new Set(observedFederalHolidays(year).map((h) => h.date));
    observedCache.set(year, set);
  }
  return set.has(localDate);
}

/** True when `localDate` is the legal date of a federal holiday (no weekend shift); an override option. */
export function isActualFederalHoliday(localDate: string): boolean {
  const year = yearOf(localDate);
  let set = actualCache.get(year);
  if (!set) {
    set = new Set(actualFederalHolidays(year).map((h) => h.date));
    actualCache.set(year, set);
  }
  return set.has(localDate);
}
