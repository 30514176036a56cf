import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { affiliateAudit } from '../workflows/affiliateAudit/workflow';
import type { AuditCadence, AuditPeriod } from '../workflows/affiliateAudit/period';
import { affiliateAuditScheduleId, affiliateAuditWorkflowId } from '../workflows/ids';
import { CaseId, CaseKind, ShopId } from '../workflows/shared/searchAttributes';

type Deps = { temporal: Client; taskQueue: string };

export const AUDIT_CADENCES: readonly AuditCadence[] = ['weekly', 'monthly'];

/**
 * When each cadence fires (UTC calendar specs): weekly on Monday 03:00 for the 7 days before, monthly on the 1st at
 * 04:00 for the month before (the fee period). Early morning: the previous day's orders and rates are synced by then.
 */
export const AUDIT_CALENDARS: Readonly<Record<AuditCadence, ScheduleSpec>> = {
  weekly: { calendars: [{ dayOfWeek: 'MONDAY', hour: 3, minute: 0 }] },
  monthly: { calendars: [{ dayOfMonth: 1, hour: 4, minute: 0 }] },
};

function scheduleOptions(deps: Deps, shopId: string, cadence: AuditCadence) {
  return {
    spec: AUDIT_CALENDARS[cadence],
    action: {
      type: 'startWorkflow' as const,
      workflowType: affiliateAudit,
      args: [{ shopId, cadence }] as [{ shopId: string; cadence: AuditCadence }],
      taskQueue: deps.taskQueue,
      // Each firing's run gets this plus its time; it starts `affiliate-audit:<shopId>:<period>` and ends.
      workflowId: `affiliate-audit-firing:${shopId}:${cadence}`,
      typedSearchAttributes: [{ key: ShopId, value: shopId }],
    },
    policies: {
      // A missed firing (server down) is still taken within a day: its period is the same whatever the delay.
      overlap: ScheduleOverlapPolicy.BUFFER_ONE,
      catchupWindow: '1 day' as Duration,
      pauseOnFailure: false,
    },
  };
}

/**
 * Creates the shop's affiliate audit Schedules (`affiliate-audit-weekly:<shopId>`, `affiliate-audit-monthly:<shopId>`)
 * or updates them to today's spec and action, and leaves them running: called with the reconciliation Schedules when
 * the shop is authorized (activities/reconciliation).
 */
export async function ensureAffiliateAuditSchedules(deps: Deps, shopId: string): Promise<void> {
  for (const cadence of AUDIT_CADENCES) {
    const scheduleId = affiliateAuditScheduleId(shopId, cadence);
    const wanted = scheduleOptions(deps, shopId, cadence);
    const note = `shop authorized: ${cadence} affiliate audits`;
    try {
      await deps.temporal.schedule.create({ scheduleId, ...wanted, state: { paused: false, note } });
      continue;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    await deps.temporal.schedule
      .getHandle(scheduleId)
      .update((previous) => ({ ...previous, ...wanted, state: { ...previous.state, paused: false, note } }));
  }
}

/** Pauses the shop's audit Schedules (authorization revoked: their syncs could only wait). */
export async function pauseAffiliateAuditSchedules(deps: Pick<Deps, 'temporal'>, shopId: string, note: string) {
  for (const cadence of AUDIT_CADENCES) {
    try {
      await deps.temporal.schedule.getHandle(affiliateAuditScheduleId(shopId, cadence)).pause(note);
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
}

/** Fires the shop's Schedule of `cadence` now (its period: the one now's date covers). False without a Schedule. */
export async function triggerAffiliateAudit(
  deps: Pick<Deps, 'temporal'>,
  shopId: string,
  cadence: AuditCadence,
): Promise<boolean> {
  try {
    await deps.temporal.schedule
      .getHandle(affiliateAuditScheduleId(shopId, cadence))
      .trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

/** The Schedule as operators see it, or undefined. */
export async function describeAffiliateAuditSchedule(
  deps: Pick<Deps, 'temporal'>,
  shopId: string,
  cadence: AuditCadence,
) {
  try {
    const d = await deps.temporal.schedule.getHandle(affiliateAuditScheduleId(shopId, cadence)).describe();
    return {
      scheduleId: d.scheduleId,
      cadence,
      paused: d.state.paused,
      nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
      recentActions: d.info.recentActions.map((a) => ({
        scheduledAt: a.scheduledAt.toISOString(),
        workflowId: a.action.workflow.workflowId,
      })),
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

/**
 * Starts the audit of `period` by hand (any past period). A period audited before is audited again (findings are
 * recomputed, the same ids; decided actions keep their decisions); one still running is left running.
 */
export async function startAffiliateAudit(
  deps: Deps,
  shopId: string,
  period: AuditPeriod,
  opts: { sync?: boolean } = {},
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = affiliateAuditWorkflowId(shopId, period.key);
  try {
    await deps.temporal.workflow.start(affiliateAudit, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ shopId, period: period.key, ...(opts.sync === false ? { sync: false } : {}) }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: ShopId, value: shopId },
        { key: CaseKind, value: 'affiliate_audit' },
        { key: CaseId, value: period.key },
      ],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}
