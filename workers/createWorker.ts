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
    dataConverter: createDataConverter(cfg),
    ...overrides,
  });
}
