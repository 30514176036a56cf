import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../config';
import { createActivities, type ActivityDeps } from '../activities';
import { createDataConverter } from '../temporal/connection';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** The one worker of this product: all workflows and activities on one task queue; scale out by running more. */
export async function createWorker(
  cfg: AppConfig,
  connection: NativeConnection,
  deps: ActivityDeps,
  overrides: Partial<WorkerOptions> = {},
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(deps),
    dataConverter: createDataConverter(cfg, 'worker'),
    ...workerTuning(cfg),
    ...overrides,
  });
}

/** Capacity and shutdown settings of the worker, from the configuration. */
export function workerTuning(cfg: AppConfig): Partial<WorkerOptions> {
  return {
    // Pollers scale with the backlog the server reports. The fixed default leaves 2 pollers on the non-sticky queue,
    // where every new order workflow's first task waits: in a flash sale that queue, not the CPU, held hand-offs up.
    ...pollers(cfg.WORKER_POLLERS),
    maxCachedWorkflows: cfg.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: cfg.WORKER_WORKFLOW_TASK_SLOTS,
    // Each workflow task may run local activities (PostgreSQL steps, the order's first read and hand-off, which can
    // wait in the rate budget): as many slots as workflow tasks, so the SDK's 100 never holds an inventory hold back.
    maxConcurrentLocalActivityExecutions: cfg.WORKER_WORKFLOW_TASK_SLOTS,
    // On SIGTERM running activities get this long to finish before they are cancelled (deploys, scale-down);
    // the SDK's default is 0: an activity in the middle of a TikTok call would be cancelled at once.
    shutdownGraceTime: cfg.SHUTDOWN_GRACE_SECONDS * 1000,
    // A dead worker's cached workflows: their next task moves to the shared queue after this (config/index.ts).
    stickyQueueScheduleToStartTimeout: cfg.WORKER_STICKY_QUEUE_TIMEOUT_MS,
  };
}

/** Autoscaling pollers, or a fixed number per task kind with half of the workflow pollers on the non-sticky queue. */
function pollers(setting: AppConfig['WORKER_POLLERS']): Partial<WorkerOptions> {
  if (setting === 'autoscaling')
    return { workflowTaskPollerBehavior: { type: 'autoscaling' }, activityTaskPollerBehavior: { type: 'autoscaling' } };
  return {
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: setting },
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: setting },
    nonStickyToStickyPollRatio: 0.5,
  };
}
