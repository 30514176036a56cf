// The month a tax report covers, in the shop's tax time zone (shop settings `tax.timeZone`, else its region's). A
// Schedule's firing reports the month BEFORE its scheduled time's local month (never "now"), so a firing run again, or
// taken late within the catch-up window, reports the same month. Pure and sandbox-safe (Intl, no clock): the
// workflow, the API and the CLI share it.
import { localDateOf, zonedWallClockToUtc } from '../../policy/businessCalendar';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` of year and month (1-12, may overflow either way). */
function monthKey(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The local month (`YYYY-MM`) of the instant `at` in `timeZone`. */
export function localMonthOf(at: Date, timeZone: string): string {
  return localDateOf(at, timeZone).slice(0, 7);
}

/** The month `n` months after `period` (n may be negative). */
export function addMonths(period: string, n: number): string {
  return monthKey(Number(period.slice(0, 4)), Number(period.slice(5, 7)) + n);
}

/** The month a Schedule's firing scheduled at `scheduledAt` reports: the local month before the firing's. */
export function taxPeriodOfFiring(scheduledAt: Date, timeZone: string): string {
  return addMonths(localMonthOf(scheduledAt, timeZone), -1);
}

/** A month written by a person (`2026-11`), or why it is not one. */
export function parseTaxPeriod(text: string): { period: string } | { error: string } {
  if (!MONTH.test(text)) return { error: `'${text}' is not a month: write YYYY-MM, e.g. 2026-11` };
  return { period: text };
}

/** Whether `period` has ended by `now` in `timeZone` (only an ended month is reported: its sales are final). */
export const taxPeriodEnded = (period: string, now: Date, timeZone: string): boolean =>
  period < localMonthOf(now, timeZone);

/** The instants the month begins and ends in `timeZone` (ISO, the end excluded): the window of its sales. */
export function taxPeriodBounds(period: string, timeZone: string): { from: string; to: string } {
  const start = (month: string) => zonedWallClockToUtc(`${month}-01`, '00:00', timeZone).toISOString();
  return { from: start(period), to: start(addMonths(period, 1)) };
}
