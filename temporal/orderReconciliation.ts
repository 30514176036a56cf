import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { AppConfig } from '../config';
import { orderReconciliationScheduleId } from '../workflows/ids';
import { orderReconciliation } from '../workflows/orderReconciliation/workflow';
import { ShopId } from '../workflows/shared/searchAttributes';

type Deps = { temporal: Client; cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE' | 'ORDER_RECONCILE_INTERVAL'> };

// A firing missed while the server was down is taken if it is at most this late: one catch-up run is enough, the
// watermark makes it search everything since the last completed run.
export const RECONCILE_CATCHUP_WINDOW: Duration = '10 minutes';
// A run waiting on a paused (revoked) shop must not hold the schedule forever (overlap SKIP skips while one runs).
export const RECONCILE_RUN_TIMEOUT: Duration = '1 hour';

function scheduleSpec(deps: Deps, shopId: string) {
  return {
    spec: { intervals: [{ every: deps.cfg.ORDER_RECONCILE_INTERVAL as Duration }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: orderReconciliation,
      args: [{ shopId }] as [{ shopId: string }],
      taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE,
      workflowId: orderReconciliationScheduleId(shopId),
      workflowRunTimeout: RECONCILE_RUN_TIMEOUT,
      typedSearchAttributes: [{ key: ShopId, value: shopId }],
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: RECONCILE_CATCHUP_WINDOW,
      pauseOnFailure: false,
    },
  };
}

/**
 * Creates `reconcile-orders:<shopId>`, or updates it to today's interval, action and policies when it exists, and
 * leaves it running (unpaused): called when the shop is connected or authorized again.
 */
export async function ensureReconciliationSchedule(deps: Deps, shopId: string): Promise<'created' | 'updated'> {
  const scheduleId = orderReconciliationScheduleId(shopId);
  const wanted = scheduleSpec(deps, shopId);
  const note = 'shop authorized: reconciling orders';
  try {
    await deps.temporal.schedule.create({ scheduleId, ...wanted, state: { paused: false, note } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = deps.temporal.schedule.getHandle(scheduleId);
  await handle.update((previous) => ({ ...previous, ...wanted, state: { ...previous.state, paused: false, note } }));
  return 'updated';
}

/** Pauses (authorization revoked) or resumes the shop's schedule; a shop without one has nothing to pause. */
export async function setReconciliationSchedulePaused(
  deps: Pick<Deps, 'temporal'>,
  shopId: string,
  paused: boolean,
  note: string,
): Promise<boolean> {
  const handle = deps.temporal.schedule.getHandle(orderReconciliationScheduleId(shopId));
  try {
    if (paused) await handle.pause(note);
    else await handle.unpause(note);
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

/** The schedule as operators see it, or undefined when the shop has none. */
export async function describeReconciliationSchedule(deps: Pick<Deps, 'temporal'>, shopId: string) {
  let d: ScheduleDescription;
  try {
    d = await deps.temporal.schedule.getHandle(orderReconciliationScheduleId(shopId)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
  const iso = (t: Date | undefined) => t?.toISOString() ?? null;
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note ?? null,
    intervals: d.spec.intervals?.map((i) => ({ everyMs: i.every, offsetMs: i.offset ?? 0 })) ?? [],
    overlap: d.policies.overlap,
    catchupWindowMs: d.policies.catchupWindow,
    nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    numActionsTaken: d.info.numActionsTaken,
    numActionsSkippedOverlap: d.info.numActionsSkippedOverlap,
    runningWorkflowIds: d.info.runningActions.map((a) => a.workflow.workflowId),
    recentActions: d.info.recentActions.map((a) => ({
      scheduledAt: iso(a.scheduledAt),
      takenAt: iso(a.takenAt),
      workflowId: a.action.workflow.workflowId,
      runId: a.action.workflow.firstExecutionRunId,
    })),
  };
}

/** Runs the reconciliation now; SKIP: nothing happens while a run is still going (it covers the same window). */
export async function triggerReconciliation(deps: Pick<Deps, 'temporal'>, shopId: string): Promise<void> {
  await deps.temporal.schedule.getHandle(orderReconciliationScheduleId(shopId)).trigger(ScheduleOverlapPolicy.SKIP);
}
