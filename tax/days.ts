/** Calendar-day arithmetic on YYYY-MM-DD strings (UTC, no time zone: a tax day is a calendar date). Pure. */

export type Day = string;

const toMs = (d: Day): number => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const fromMs = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);

export const addDays = (d: Day, n: number): Day => fromMs(toMs(d) + n * 86_400_000);

export const daysBetween = (from: Day, to: Day): number => Math.round((toMs(to) - toMs(from)) / 86_400_000);

/** The date of `day` (or the month's last day, when `day` is 'last' or past it) in month `month` (1-12) of `year`. */
export function dateIn(year: number, month: number, day: number | 'last'): Day {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const y = new Date(Date.UTC(year, month - 1, 1)).getUTCFullYear();
  const m = new Date(Date.UTC(year, month - 1, 1)).getUTCMonth() + 1;
  const dd = day === 'last' ? last : Math.min(day, last);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

export const yearOf = (d: Day): number => Number(d.slice(0, 4));
export const monthOf = (d: Day): number => Number(d.slice(5, 7));

/** First day of the month `n` months after `d`'s month (n may be negative). */
export const firstOfMonthAfter = (d: Day, n: number): Day => dateIn(yearOf(d), monthOf(d) + n, 1);

/** Last day of `d`'s month. */
export const endOfMonth = (d: Day): Day => dateIn(yearOf(d), monthOf(d), 'last');

export const isEndOfMonth = (d: Day): boolean => endOfMonth(d) === d;
