/**
 * A business-day clock for any region: a time zone (IANA name), a holiday predicate and the weekend days.
 * Local wall-clock times are turned into UTC instants with Intl (no fixed offsets), so deadlines stay on
 * local 23:59 across daylight-saving changes. Pure code, no I/O, no clock.
 *
 * Counting rule (seller-us.tiktok.com "What is the fulfillment requirement (SLA) for shipping orders?": "within 2 business
 * days from the order date"): the
 * order's LOCAL calendar date is day 0 and never counts; day 1 is the first business day after it, and the
 * deadline is the end (23:59:59.999 local) of day N. An order on a Saturday, a Sunday or a holiday is therefore
 * due on the same day as an order on the business day before it (Friday or Saturday order → Tuesday). The
 * official page does not spell out weekend orders; this is how the worked examples of third parties read it
 * (the order date is "Day 0", the next business day "Day 1") and how emulators/tiktok-shop counts. The other
 * reading — the next business day becomes day 0, so a Saturday order is due Wednesday — is available as
 * `nonBusinessDayStart: 'nextBusinessDayIsDayZero'` and selected by the `dispatch.nonBusinessDayOrder` row.
 */

export type LocalDate = string; // YYYY-MM-DD

export type NonBusinessDayStart = 'orderDateIsDayZero' | 'nextBusinessDayIsDayZero';

export interface BusinessCalendar {
  /** IANA time zone, e.g. 'America/Los_Angeles'. */
  timeZone: string;
  /** True when the local calendar date is a holiday. */
  isHoliday: (localDate: LocalDate) => boolean;
  /** Weekday numbers (0 = Sunday … 6 = Saturday) that are never business days; default Saturday and Sunday. */
  weekendDays?: readonly number[];
  /** How an order placed on a non-business day starts its count; default 'orderDateIsDayZero'. */
  nonBusinessDayStart?: NonBusinessDayStart;
}

const DEFAULT_WEEKEND = [0, 6] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(utcMs: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? NaN,
    month: out.month ?? NaN,
    day: out.day ?? NaN,
    hour: (out.hour ?? NaN) % 24,
    minute: out.minute ?? NaN,
    second: out.second ?? NaN,
  };
}

/** Offset (local − UTC) in ms of `timeZone` at the UTC instant `utcMs`. */
function offsetAt(utcMs: number, timeZone: string): number {
  const w = wallClock(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

function parseLocalDate(d: LocalDate): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) throw new RangeError(`expected a YYYY-MM-DD date, got ${d}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** The calendar date of `at` in `timeZone`, as YYYY-MM-DD. */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  const w = wallClock(at.getTime(), timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** `d` moved by `n` calendar days. */
export function addCalendarDays(d: LocalDate, n: number): LocalDate {
  const { year, month, day } = parseLocalDate(d);
  return new Date(Date.UTC(year, month - 1, day + n)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, for a calendar date. */
export function weekdayOf(d: LocalDate): number {
  const { year, month, day } = parseLocalDate(d);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/**
 * The UTC instant of a local wall-clock time `hh:mm[:ss[.mmm]]` on `date` in `timeZone`.
 */
export function zonedWallClockToUtc(date: LocalDate, time: string, timeZone: string): Date {
  const t = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/.exec(time);
  if (!t) throw new RangeError(`expected hh:mm[:ss[.mmm]], got ${time}`);
  const { year, month, day } = parseLocalDate(date);
  const ms = Number(t[4] ?? 0);
  const naive = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]), Number(t[3] ?? 0));
  // Two rounds settle the offset. Near a DST change they can disagree: keep the candidates whose local wall
  // clock is the one asked for (both in a fall-back overlap: the earlier wins); none means a spring-forward gap,
  // resolved forward (02:30 → 03:30), as Temporal's 'compatible' disambiguation does.
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  const exact = [first, second].filter((c) => c + offsetAt(c, timeZone) === naive);
  const utc = exact.length > 0 ? Math.min(...exact) : Math.max(first, second);
  return new Date(utc + ms);
}

/** 23:59:59.999 local time on `date` (the "11:59 PM" cut-off). */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zonedWallClockToUtc(date, '23:59:59.999', timeZone);
}

/** True when the local calendar date is neither a weekend day nor a holiday. */
export function isBusinessDay(date: LocalDate, cal: BusinessCalendar): boolean {
  const weekend = cal.weekendDays ?? DEFAULT_WEEKEND;
  return !weekend.includes(weekdayOf(date)) && !cal.isHoliday(date);
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: LocalDate, cal: BusinessCalendar): LocalDate {
  let d = addCalendarDays(date, 1);
  // A guard against a calendar with no business day at all (e.g. every weekday declared weekend).
  for (let i = 0; !isBusinessDay(d, cal); i++) {
    if (i > 366) throw new RangeError('no business day within a year; check the calendar');
    d = addCalendarDays(d, 1);
  }
  return d;
}

/** Day 0 of a count that starts at `from`, per the calendar's `nonBusinessDayStart` rule. */
export function dayZero(from: Date, cal: BusinessCalendar): LocalDate {
  const d = localDateOf(from, cal.timeZone);
  if ((cal.nonBusinessDayStart ?? 'orderDateIsDayZero') === 'nextBusinessDayIsDayZero' && !isBusinessDay(d, cal)) {
    return nextBusinessDay(d, cal);
  }
  return d;
}

/** The local calendar date of business day `days` counted from `from` (day 0; see the counting rule above). */
export function businessDayDate(from: Date, days: number, cal: BusinessCalendar): LocalDate {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`business days must be a whole number ≥ 0, got ${days}`);
  let d = dayZero(from, cal);
  for (let counted = 0; counted < days; counted++) d = nextBusinessDay(d, cal);
  return d;
}

/** The END (23:59:59.999 local) of business day `days` counted from `from`'s local calendar day. */
export function addBusinessDays(from: Date, days: number, cal: BusinessCalendar): Date {
  return endOfLocalDay(businessDayDate(from, days, cal), cal.timeZone);
}

/**
 * Business days d with day0(from) < d ≤ localDate(to), negative when `to` is earlier. Inverse of
 * addBusinessDays: businessDaysBetween(x, addBusinessDays(x, n)) === n.
 */
export function businessDaysBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  const a = dayZero(from, cal);
  const b = localDateOf(to, cal.timeZone);
  if (a === b) return 0;
  const [lo, hi, sign] = a < b ? [a, b, 1] : [b, a, -1];
  let n = 0;
  for (let d = addCalendarDays(lo, 1); d <= hi; d = addCalendarDays(d, 1)) if (isBusinessDay(d, cal)) n++;
  return sign * n;
}
