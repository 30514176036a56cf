import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { AppConfig } from '../config';
import { retentionScheduleId } from '../workflows/ids';
import type { RetentionReport } from '../workflows/retention/messages';
import { retention } from '../workflows/retention/workflow';

type Deps = { temporal: Client; cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE' | 'RETENTION_INTERVAL'> };

/**
 * Creates the task queue's `retention:<taskQueue>` Schedule, or brings it to today's interval and action; called at every worker start, so
 * a changed RETENTION_INTERVAL takes effect on the next deployment. Overlap SKIP: one purge at a time.
 */
export async function ensureRetentionSchedule(deps: Deps): Promise<'created' | 'updated'> {
  const scheduleId = retentionScheduleId(deps.cfg.TEMPORAL_TASK_QUEUE);
  const wanted = {
    spec: { intervals: [{ every: deps.cfg.RETENTION_INTERVAL as Duration }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: retention,
      args: [{}] as [{ maxPages?: number }],
      taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE,
      workflowId: scheduleId,
      workflowRunTimeout: '1 hour' as Duration,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' as Duration, pauseOnFailure: false },
  };
  try {
    await deps.temporal.schedule.create({ scheduleId, ...wanted });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await deps.temporal.schedule
    .getHandle(scheduleId)
    .update((previous) => ({ ...previous, ...wanted, state: previous.state }));
  return 'updated';
}

type DescribeConfig = Pick<
  AppConfig,
  | 'TEMPORAL_TASK_QUEUE'
  | 'RETENTION_DEAD_LETTERS_DAYS'
  | 'RETENTION_INBOX_DAYS'
  | 'RETENTION_WAREHOUSE_PAYLOAD_DAYS'
  | 'RETENTION_BATCH_SIZE'
  | 'FILE_RETENTION_DAYS'
>;

/** The latest run of the retention Schedule: its status and, once completed, what it deleted per kind. */
export interface RetentionRun {
  workflowId: string;
  runId: string;
  scheduledAt: string | null;
  /** Temporal's execution status (RUNNING, COMPLETED, FAILED, TIMED_OUT…), or NOT_FOUND once Temporal let it go. */
  status: string;
  startedAt: string | null;
  closedAt: string | null;
  report: RetentionReport | null;
  failure: string | null;
}

/**
 * Retention as operators see it: what this deployment keeps (days per kind, batch size), its Schedule (interval,
 * paused, next firings) and the latest run with its report; `schedule` null when no worker has created it yet.
 */
export async function describeRetention(deps: { temporal: Client; cfg: DescribeConfig }) {
  const scheduleId = retentionScheduleId(deps.cfg.TEMPORAL_TASK_QUEUE);
  const keeps = {
    deadLettersDays: deps.cfg.RETENTION_DEAD_LETTERS_DAYS,
    inboxDays: deps.cfg.RETENTION_INBOX_DAYS,
    warehousePayloadDays: deps.cfg.RETENTION_WAREHOUSE_PAYLOAD_DAYS,
    // Stored files are kept this long after their latest upload (each row carries its expiry).
    filesDays: deps.cfg.FILE_RETENTION_DAYS,
    batchSize: deps.cfg.RETENTION_BATCH_SIZE,
  };
  let d: ScheduleDescription;
  try {
    d = await deps.temporal.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return { scheduleId, keeps, schedule: null, lastRun: null };
    throw err;
  }
  const iso = (t: Date | undefined) => t?.toISOString() ?? null;
  // recentActions run from older to newer.
  const last = d.info.recentActions.at(-1);
  let lastRun: RetentionRun | null = null;
  if (last) {
    const { workflowId, firstExecutionRunId: runId } = last.action.workflow;
    lastRun = {
      workflowId,
      runId,
      scheduledAt: iso(last.scheduledAt),
      status: 'NOT_FOUND',
      startedAt: null,
      closedAt: null,
      report: null,
      failure: null,
    };
    const handle = deps.temporal.workflow.getHandle<typeof retention>(workflowId, runId);
    try {
      const run = await handle.describe();
      lastRun.status = run.status.name;
      lastRun.startedAt = iso(run.startTime);
      lastRun.closedAt = iso(run.closeTime);
      if (run.status.name !== 'RUNNING') {
        try {
          lastRun.report = await handle.result();
        } catch (err) {
          const cause = (err as Error & { cause?: Error }).cause;
          lastRun.failure = cause?.message ?? (err as Error).message;
        }
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return {
    scheduleId,
    keeps,
    schedule: {
      // The Schedule's own interval: RETENTION_INTERVAL as of the last worker start (ensureRetentionSchedule).
      everyMs: d.spec.intervals?.map((i) => i.every) ?? [],
      paused: d.state.paused,
      note: d.state.note ?? null,
      nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
      numActionsTaken: d.info.numActionsTaken,
      running: d.info.runningActions.map((a) => a.workflow.workflowId),
    },
    lastRun,
  };
}
