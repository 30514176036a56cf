// The period an affiliate audit covers: whole UTC days [from, to). A Schedule's firing takes its period from its
// scheduled time (never from "now"), so a firing run again, or the same period started by hand, audits the same rows
// and gets the same findings. Pure and sandbox-safe: the workflow, the API and the CLI share it.

export type AuditCadence = 'weekly' | 'monthly';

export interface AuditPeriod {
  /** `YYYY-MM` (a calendar month, the fee period) or `YYYY-MM-DD..YYYY-MM-DD` (days, the end excluded). */
  key: string;
  /** ISO 8601, inclusive. */
  from: string;
  /** ISO 8601, exclusive. */
  to: string;
}

const DAY_MS = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAYS = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;
/** The longest period one audit covers (a quarter and a bit): beyond it, run several. */
export const MAX_PERIOD_DAYS = 93;

function dateMs(text: string): number | undefined {
  const ms = Date.parse(`${text}T00:00:00.000Z`);
  return Number.isFinite(ms) && day(ms) === text ? ms : undefined;
}

function daysPeriod(fromMs: number, toMs: number): AuditPeriod {
  return {
    key: `${day(fromMs)}..${day(toMs)}`,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  };
}

function monthPeriod(year: number, month0: number): AuditPeriod {
  const from = Date.UTC(year, month0, 1);
  const to = Date.UTC(year, month0 + 1, 1);
  return {
    key: new Date(from).toISOString().slice(0, 7),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  };
}

/**
 * The period a Schedule's firing at `scheduledAt` audits: weekly, the `lookbackDays` whole UTC days before the firing's
 * day (the shop's `affiliate.weeklyLookback`, 7 by default); monthly, the calendar month before the firing's (the fee
 * period).
 */
export function periodOfFiring(cadence: AuditCadence, scheduledAt: Date, lookbackDays = 7): AuditPeriod {
  const today = Math.floor(scheduledAt.getTime() / DAY_MS) * DAY_MS;
  if (cadence === 'weekly') return daysPeriod(today - lookbackDays * DAY_MS, today);
  const d = new Date(today);
  return monthPeriod(d.getUTCFullYear(), d.getUTCMonth() - 1);
}

/** A period written by a person (`2026-11`, `2026-11-23..2026-11-30`), or why it is not one. */
export function parsePeriod(text: string): AuditPeriod | { error: string } {
  const month = MONTH.exec(text);
  if (month) return monthPeriod(Number(month[1]), Number(month[2]) - 1);
  const days = DAYS.exec(text);
  if (!days) return { error: `'${text}' is not a period: write a month (2026-11) or days (2026-11-23..2026-11-30)` };
  const from = dateMs(days[1]!);
  const to = dateMs(days[2]!);
  if (from === undefined || to === undefined) return { error: `'${text}' names a day that does not exist` };
  if (to <= from) return { error: `'${text}' ends before it starts (the end day is excluded)` };
  if (to - from > MAX_PERIOD_DAYS * DAY_MS) return { error: `'${text}' is longer than ${MAX_PERIOD_DAYS} days` };
  return daysPeriod(from, to);
}

/** Whether the period has begun by `now` (a period still running is audited on the rows so far). */
export const periodStarted = (period: AuditPeriod, now: number): boolean => Date.parse(period.from) <= now;
