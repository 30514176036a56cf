// The emulator's own US business calendar, used for the dispatch SLA and auto-cancel deadlines.
// seller-us.tiktok.com "What is the fulfillment requirement (SLA) for shipping orders?": dispatch within 2 business
// days of the order date, cut-off 11:59 PM Pacific; business days leave out Saturdays, Sundays and US federal
// holidays; auto-cancel when the order is not awaiting collection 7 business days after the order date; deliver
// within 6 business days.
// Federal holidays use their observed dates (Saturday → preceding Friday, Sunday → following Monday).

export const SLA_TIME_ZONE = 'America/Los_Angeles';

export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const partsFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: SLA_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function zonedParts(utcMs: number): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const out: Record<string, number> = {};
  for (const p of partsFormatter.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 0,
    day: out.day ?? 0,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** Offset (local − UTC) in ms of the Pacific zone at a UTC instant. */
function offsetAt(utcMs: number): number {
  const p = zonedParts(utcMs);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** UTC instant of a Pacific wall-clock time. */
export function pacificToUtc(date: CivilDate, hour: number, minute: number, second: number): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second);
  let guess = naive - offsetAt(naive);
  guess = naive - offsetAt(guess);
  return guess;
}

/** Pacific calendar date of a UTC instant. */
export function pacificDateOf(utcMs: number): CivilDate {
  const p = zonedParts(utcMs);
  return { year: p.year, month: p.month, day: p.day };
}

function dayOfWeek(d: CivilDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

function addDays(d: CivilDate, n: number): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function key(d: CivilDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** nth weekday (0=Sun) of a month; n = -1 means the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): CivilDate {
  if (n > 0) {
    const first = dayOfWeek({ year, month, day: 1 });
    return { year, month, day: 1 + ((weekday - first + 7) % 7) + (n - 1) * 7 };
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = dayOfWeek({ year, month, day: lastDay });
  return { year, month, day: lastDay - ((last - weekday + 7) % 7) };
}

function observed(d: CivilDate): CivilDate {
  const w = dayOfWeek(d);
  if (w === 6) return addDays(d, -1);
  if (w === 0) return addDays(d, 1);
  return d;
}

const holidayCache = new Map<number, Set<string>>();

/** Observed US federal holidays that fall in the given calendar year (5 U.S.C. 6103 list). */
export function federalHolidays(year: number): Set<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const dates: CivilDate[] = [];
  for (const y of [year, year + 1]) {
    dates.push(observed({ year: y, month: 1, day: 1 })); // New Year's Day (may be observed on Dec 31)
  }
  dates.push(nthWeekday(year, 1, 1, 3)); // Birthday of Martin Luther King, Jr.
  dates.push(nthWeekday(year, 2, 1, 3)); // Washington's Birthday
  dates.push(nthWeekday(year, 5, 1, -1)); // Memorial Day
  if (year >= 2021) dates.push(observed({ year, month: 6, day: 19 })); // Juneteenth
  dates.push(observed({ year, month: 7, day: 4 })); // Independence Day
  dates.push(nthWeekday(year, 9, 1, 1)); // Labor Day
  dates.push(nthWeekday(year, 10, 1, 2)); // Columbus Day
  dates.push(observed({ year, month: 11, day: 11 })); // Veterans Day
  dates.push(nthWeekday(year, 11, 4, 4)); // Thanksgiving Day
  dates.push(observed({ year, month: 12, day: 25 })); // Christmas Day
  const set = new Set(dates.filter((d) => d.year === year).map(key));
  holidayCache.set(year, set);
  return set;
}

export function isBusinessDay(d: CivilDate): boolean {
  const w = dayOfWeek(d);
  if (w === 0 || w === 6) return false;
  return !federalHolidays(d.year).has(key(d));
}

/**
 * End (23:59:59 Pacific) of the nth business day after the Pacific date of `orderUtcMs`.
 * The order date itself is day 0: an order on Thursday 2026-12-24 has Mon 12-28 as day 1 and Tue 12-29 as
 * day 2 (Fri 12-25 is Christmas, then a weekend).
 */
export function businessDeadline(orderUtcMs: number, businessDays: number): number {
  let d = pacificDateOf(orderUtcMs);
  let counted = 0;
  while (counted < businessDays) {
    d = addDays(d, 1);
    if (isBusinessDay(d)) counted++;
  }
  return pacificToUtc(d, 23, 59, 59);
}

/** ISO-like rendering of a UTC instant in Pacific time, for records and messages. */
export function formatPacific(utcMs: number): string {
  const p = zonedParts(utcMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} ${SLA_TIME_ZONE}`;
}
