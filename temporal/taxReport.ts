// A shop's monthly tax report Schedule (`tax-report-monthly:<shopId>`): on the 1st of each month at the shop's
// `tax.scheduleHour` in its tax time zone (Temporal calendar specs take an IANA time zone:
// https://docs.temporal.io/schedule#time-zones), each firing runs a short monthlyTaxReport that starts the report of
// the month before and ends. Created with the shop's other Schedules when it is authorized, paused while it is
// revoked, updated when the settings change; listable, pausable, triggerable and back-fillable through the API.
import {
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { zonedWallClockToUtc } from '../policy/businessCalendar';
import { monthlyTaxReport } from '../workflows/monthlyTaxReport/workflow';
import { TAX_REPORT_CASE } from '../workflows/monthlyTaxReport/messages';
import { addMonths } from '../workflows/monthlyTaxReport/period';
import { taxReportScheduleId, taxReportWorkflowId } from '../workflows/ids';
import { CaseId, CaseKind, ShopId } from '../workflows/shared/searchAttributes';
import { ifScheduleExists, upsertSchedule } from './schedules';

type Deps = { temporal: Client; taskQueue: string };

/** When the Schedule fires: the shop's tax time zone and hour (shopSettings/tax.ts resolves them). */
export interface TaxScheduleTime {
  timeZone: string;
  scheduleHour: number;
}

/**
 * A firing missed while the server was down is still taken within this window (its month is the same whatever the
 * delay); later, the month is started by hand or back-filled.
 */
export const TAX_REPORT_CATCHUP = '3 days';
/** Months one backfill covers at most (two years: a new shop's history). */
export const MAX_BACKFILL_MONTHS = 24;

export function taxReportScheduleSpec(time: TaxScheduleTime): ScheduleSpec {
  return {
    calendars: [{ dayOfMonth: 1, hour: time.scheduleHour, minute: 0, comment: 'the month before is reported' }],
    timezone: time.timeZone,
  };
}

function scheduleOptions(deps: Deps, shopId: string, time: TaxScheduleTime) {
  return {
    spec: taxReportScheduleSpec(time),
    action: {
      type: 'startWorkflow' as const,
      workflowType: monthlyTaxReport,
      args: [{ shopId }] as [{ shopId: string }],
      taskQueue: deps.taskQueue,
      // Each firing's run gets this plus its time; it starts `tax-report:<shopId>:<month>` and ends.
      workflowId: `tax-report-firing:${shopId}`,
      workflowRunTimeout: '1 hour' as Duration,
      typedSearchAttributes: [{ key: ShopId, value: shopId }],
    },
    policies: {
      // Firings of a backfill run side by side: each only starts its own month's report.
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      catchupWindow: TAX_REPORT_CATCHUP as Duration,
      pauseOnFailure: false,
    },
  };
}

/**
 * Creates the shop's Schedule or brings it to `time` and today's action, and leaves it running: the shop is
 * authorized (activities/reconciliation).
 */
export async function ensureTaxReportSchedule(
  deps: Deps,
  shopId: string,
  time: TaxScheduleTime,
): Promise<'created' | 'updated'> {
  return upsertSchedule(deps.temporal, taxReportScheduleId(shopId), scheduleOptions(deps, shopId, time), {
    paused: false,
    note: 'shop authorized: monthly tax reports',
  });
}

/**
 * Brings the Schedule's calendar to the shop's settings (PATCH /v1/shops/:shopId/settings), paused or running as it
 * is. False when the shop has no Schedule yet (it gets one, with the settings then in force, when authorized).
 */
export async function setTaxReportScheduleTime(
  deps: Pick<Deps, 'temporal'>,
  shopId: string,
  time: TaxScheduleTime,
): Promise<boolean> {
  const handle = deps.temporal.schedule.getHandle(taxReportScheduleId(shopId));
  const done = await ifScheduleExists(() =>
    handle.update((previous) => ({ ...previous, spec: taxReportScheduleSpec(time) })),
  );
  return done !== undefined;
}

/** Pauses or resumes the shop's Schedule; false when the shop has none. */
export async function setTaxReportSchedulePaused(
  deps: Pick<Deps, 'temporal'>,
  shopId: string,
  paused: boolean,
  note: string,
): Promise<boolean> {
  const handle = deps.temporal.schedule.getHandle(taxReportScheduleId(shopId));
  const done = await ifScheduleExists(async () => (paused ? handle.pause(note) : handle.unpause(note)));
  return done !== undefined;
}

/** Fires the Schedule now (it reports the month before now's local month); false when the shop has none. */
export async function triggerTaxReportSchedule(deps: Pick<Deps, 'temporal'>, shopId: string): Promise<boolean> {
  const handle = deps.temporal.schedule.getHandle(taxReportScheduleId(shopId));
  return (await ifScheduleExists(async () => handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL))) !== undefined;
}

/** The instant the Schedule reports `period` at: the 1st of the month after, at the hour, in the time zone. */
export function firingOfPeriod(period: string, time: TaxScheduleTime): Date {
  const hour = `${String(time.scheduleHour).padStart(2, '0')}:00`;
  return zonedWallClockToUtc(`${addMonths(period, 1)}-01`, hour, time.timeZone);
}

/**
 * Back-fills the months `from`..`to` (inclusive, `YYYY-MM`) through the Schedule's own backfill: each month's firing
 * time is replayed, so each firing reports exactly its month. Months already reported are not started again.
 * False when the shop has no Schedule.
 */
export async function backfillTaxReports(
  deps: Pick<Deps, 'temporal'>,
  shopId: string,
  range: { from: string; to: string },
  time: TaxScheduleTime,
): Promise<{ backfilled: boolean; firings: string[] }> {
  const firings: string[] = [];
  for (let p = range.from; p <= range.to; p = addMonths(p, 1)) firings.push(firingOfPeriod(p, time).toISOString());
  // A minute either side: the range holds each firing time whatever the server's rounding.
  const start = new Date(Date.parse(firings[0]!) - 60_000);
  const end = new Date(Date.parse(firings.at(-1)!) + 60_000);
  const handle = deps.temporal.schedule.getHandle(taxReportScheduleId(shopId));
  const done = await ifScheduleExists(() =>
    handle.backfill([{ start, end, overlap: ScheduleOverlapPolicy.ALLOW_ALL }]),
  );
  return { backfilled: done !== undefined, firings };
}

const first = (ranges: readonly { start: number | string }[] | undefined) => ranges?.[0]?.start ?? null;

/** The Schedule as operators see it, or undefined when the shop has none. */
export async function describeTaxReportSchedule(deps: Pick<Deps, 'temporal'>, shopId: string) {
  const found = await ifScheduleExists(() => deps.temporal.schedule.getHandle(taxReportScheduleId(shopId)).describe());
  if (!found) return undefined;
  const d = found.value;
  const calendar = d.spec.calendars?.[0];
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note ?? null,
    timeZone: d.spec.timezone ?? 'UTC',
    // One calendar of single values (taxReportScheduleSpec): the first range's start of each field.
    calendar: calendar
      ? { dayOfMonth: first(calendar.dayOfMonth), hour: first(calendar.hour), minute: first(calendar.minute) }
      : null,
    catchupWindowMs: d.policies.catchupWindow,
    nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    numActionsTaken: d.info.numActionsTaken,
    recentActions: d.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
  };
}

/**
 * Starts the report of `period` by hand (any ended month). A month reported before is computed again (a rebuild that
 * differs is reported, never silently replaced); one still running is left running.
 */
export async function startTaxReport(
  deps: Deps,
  shopId: string,
  period: string,
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = taxReportWorkflowId(shopId, period);
  try {
    await deps.temporal.workflow.start(monthlyTaxReport, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ shopId, period }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: ShopId, value: shopId },
        { key: CaseKind, value: TAX_REPORT_CASE },
        { key: CaseId, value: period },
      ],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}
