import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { AppConfig } from '../config';
import { retentionScheduleId } from '../workflows/ids';
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
