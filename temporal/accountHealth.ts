import {
  WithStartWorkflowOperation,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { accountHealthDailyScheduleId, accountHealthWorkflowId } from '../workflows/ids';
import {
  accountHealthDirtySignal,
  accountHealthSnapshotSignal,
  recordViolationUpdate,
  type RecordViolationInput,
  type RecordViolationResult,
} from '../workflows/accountHealth/messages';
import { accountHealth } from '../workflows/accountHealth/workflow';
import { CaseId, CaseKind, ShopId } from '../workflows/shared/searchAttributes';

type Ctx = { temporal: Client; taskQueue: string };

/** The day's snapshot is asked for shortly after midnight UTC (the snapshot's day is the UTC day of its report). */
export const ACCOUNT_HEALTH_DAILY_AT = { hour: 0, minute: 5 } as const;
// A firing missed while the server was down is still worth taking the same day.
const DAILY_CATCHUP_WINDOW: Duration = '12 hours';
// The daily run only sends a signal; it never waits long.
const DAILY_RUN_TIMEOUT: Duration = '10 minutes';

/** The start options of the shop's account-health workflow (signal-with-start: never started twice). */
function startOptions(ctx: Ctx, shopId: string) {
  return {
    workflowId: accountHealthWorkflowId(shopId),
    taskQueue: ctx.taskQueue,
    args: [{ shopId }] as [{ shopId: string }],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    typedSearchAttributes: [
      { key: ShopId, value: shopId },
      { key: CaseKind, value: 'account_health' },
      { key: CaseId, value: shopId },
    ],
  };
}

/**
 * Tells the shop's account-health workflow that something moving its metrics changed (the `onShopHealthDirty` hook
 * of the activities, called once per clean→dirty transition of the shop's marker), starting it if needed.
 */
export async function signalAccountHealthDirty(ctx: Ctx, shopId: string): Promise<void> {
  await ctx.temporal.workflow.signalWithStart(accountHealth, {
    ...startOptions(ctx, shopId),
    signal: accountHealthDirtySignal,
    signalArgs: [],
  });
}

/** Asks the shop's account-health workflow for the day's snapshot (the daily Schedule's run), starting it if needed. */
export async function signalAccountHealthSnapshot(ctx: Ctx, shopId: string, scheduledAt: string): Promise<void> {
  await ctx.temporal.workflow.signalWithStart(accountHealth, {
    ...startOptions(ctx, shopId),
    signal: accountHealthSnapshotSignal,
    signalArgs: [{ scheduledAt }],
  });
}

/**
 * A Seller Center notice a person entered: the workflow's `recordViolation` update, with the workflow started first
 * if the shop has none yet (update-with-start), so a notice is never refused for want of a running workflow.
 */
export async function recordAccountHealthViolation(
  ctx: Ctx,
  shopId: string,
  input: RecordViolationInput,
): Promise<RecordViolationResult> {
  const start = new WithStartWorkflowOperation(accountHealth, startOptions(ctx, shopId));
  return ctx.temporal.workflow.executeUpdateWithStart(recordViolationUpdate, {
    args: [input],
    startWorkflowOperation: start,
  });
}

function dailySchedule(ctx: Ctx, shopId: string) {
  return {
    spec: { calendars: [{ ...ACCOUNT_HEALTH_DAILY_AT, comment: 'daily account-health snapshot' }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: accountHealth,
      args: [{ shopId, mode: 'daily' }] as [{ shopId: string; mode: 'daily' }],
      taskQueue: ctx.taskQueue,
      workflowId: accountHealthDailyScheduleId(shopId),
      workflowRunTimeout: DAILY_RUN_TIMEOUT,
      typedSearchAttributes: [{ key: ShopId, value: shopId }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DAILY_CATCHUP_WINDOW, pauseOnFailure: false },
  };
}

/**
 * Creates the shop's daily account-health Schedule (`account-health-daily:<shopId>`), or brings an existing one to
 * today's spec and action, running. Called when the shop is connected (authorized), with the workflow's start.
 */
export async function ensureAccountHealthSchedule(ctx: Ctx, shopId: string): Promise<'created' | 'updated'> {
  const scheduleId = accountHealthDailyScheduleId(shopId);
  const wanted = dailySchedule(ctx, shopId);
  const note = 'shop connected: daily account-health snapshot';
  try {
    await ctx.temporal.schedule.create({ scheduleId, ...wanted, state: { paused: false, note } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await ctx.temporal.schedule
    .getHandle(scheduleId)
    .update((previous) => ({ ...previous, ...wanted, state: { ...previous.state, paused: false, note } }));
  return 'updated';
}

/** The daily Schedule as operators see it (GET …/account-health), or undefined when the shop has none. */
export async function describeAccountHealthSchedule(temporal: Client, shopId: string) {
  let d: ScheduleDescription;
  try {
    d = await temporal.schedule.getHandle(accountHealthDailyScheduleId(shopId)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    numActionsTaken: d.info.numActionsTaken,
    recentActions: d.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt?.toISOString() ?? null,
      workflowId: a.action.workflow.workflowId,
    })),
  };
}

/** Runs the daily firing now (the day's snapshot out of turn: tests, the demo, an operator after a fix). */
export async function triggerAccountHealthSnapshot(temporal: Client, shopId: string): Promise<void> {
  await temporal.schedule.getHandle(accountHealthDailyScheduleId(shopId)).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
}
