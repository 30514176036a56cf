import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { orderReconciliationScheduleId, returnReconciliationScheduleId } from '../workflows/ids';
import { orderReconciliation } from '../workflows/orderReconciliation/workflow';
import { returnReconciliation } from '../workflows/returnReconciliation/workflow';
import type { ReconciliationKind } from '../workflows/shared/reconciliation';
import { ShopId } from '../workflows/shared/searchAttributes';

type Deps = { temporal: Client; taskQueue: string };

/** Each kind's Schedule id and the workflow each firing runs. */
const RECONCILIATIONS = {
  orders: { scheduleId: orderReconciliationScheduleId, workflowType: orderReconciliation },
  returns: { scheduleId: returnReconciliationScheduleId, workflowType: returnReconciliation },
} as const;

export const RECONCILIATION_KINDS = Object.keys(RECONCILIATIONS) as ReconciliationKind[];

export const reconciliationScheduleId = (kind: ReconciliationKind, shopId: string): string =>
  RECONCILIATIONS[kind].scheduleId(shopId);

// A firing missed while the server was down is taken if it is at most this late: one catch-up run is enough, the
// watermark makes it search everything since the last completed run.
export const RECONCILE_CATCHUP_WINDOW: Duration = '10 minutes';
// A run waiting on a paused (revoked) shop must not hold the schedule forever (overlap SKIP skips while one runs).
export const RECONCILE_RUN_TIMEOUT: Duration = '1 hour';

function scheduleSpec(deps: Deps, kind: ReconciliationKind, shopId: string, every: Duration) {
  return {
    spec: { intervals: [{ every }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: RECONCILIATIONS[kind].workflowType,
      args: [{ shopId }] as [{ shopId: string }],
      taskQueue: deps.taskQueue,
      workflowId: reconciliationScheduleId(kind, shopId),
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
 * Creates the shop's Schedule of `kind` (`reconcile-orders:<shopId>`, `reconcile-returns:<shopId>`), or updates it
 * to `every` and today's action and policies when it exists, and leaves it running (unpaused): called when the shop
 * is connected or authorized again.
 */
export async function ensureReconciliationSchedule(
  deps: Deps,
  kind: ReconciliationKind,
  shopId: string,
  every: Duration,
): Promise<'created' | 'updated'> {
  const scheduleId = reconciliationScheduleId(kind, shopId);
  const wanted = scheduleSpec(deps, kind, shopId, every);
  const note = `shop authorized: reconciling ${kind}`;
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

/**
 * Sets the interval of the shop's Schedule of `kind`, leaving it paused or running as it is (a setting changed while
 * the shop is revoked does not resume it). False when the shop has no such Schedule (it gets one, with the interval
 * then in force, when it is authorized).
 */
export async function setReconciliationInterval(
  deps: Pick<Deps, 'temporal'>,
  kind: ReconciliationKind,
  shopId: string,
  every: Duration,
): Promise<boolean> {
  try {
    await deps.temporal.schedule
      .getHandle(reconciliationScheduleId(kind, shopId))
      .update((previous) => ({ ...previous, spec: { ...previous.spec, intervals: [{ every }] } }));
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

/** Pauses (authorization revoked) or resumes the shop's Schedule of `kind`; a shop without one has nothing to pause. */
export async function setReconciliationSchedulePaused(
  deps: Pick<Deps, 'temporal'>,
  kind: ReconciliationKind,
  shopId: string,
  paused: boolean,
  note: string,
): Promise<boolean> {
  const handle = deps.temporal.schedule.getHandle(reconciliationScheduleId(kind, shopId));
  try {
    if (paused) await handle.pause(note);
    else await handle.unpause(note);
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

/** The Schedule as operators see it, or undefined when the shop has none. */
export async function describeReconciliationSchedule(
  deps: Pick<Deps, 'temporal'>,
  kind: ReconciliationKind,
  shopId: string,
) {
  let d: ScheduleDescription;
  try {
    d = await deps.temporal.schedule.getHandle(reconciliationScheduleId(kind, shopId)).describe();
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
export async function triggerReconciliation(
  deps: Pick<Deps, 'temporal'>,
  kind: ReconciliationKind,
  shopId: string,
): Promise<void> {
  await deps.temporal.schedule.getHandle(reconciliationScheduleId(kind, shopId)).trigger(ScheduleOverlapPolicy.SKIP);
}

/**
 * The hook of a shop's settings change (PATCH /v1/shops/:shopId/settings, after commit): the shop's returns Schedule
 * takes the new `reconciliation.returnsEvery` at once, so compressing a demo shop's time needs no restart. False when
 * the shop has no returns Schedule yet (it is created with the setting in force when the shop is authorized).
 */
export async function applyReconciliationSettings(
  deps: Pick<Deps, 'temporal'>,
  shopId: string,
  settings: { reconciliation: { returnsEvery: string } },
): Promise<boolean> {
  return setReconciliationInterval(deps, 'returns', shopId, settings.reconciliation.returnsEvery as Duration);
}
