// Starts a shop's tax-history backfill (`tax-backfill:<shopId>`, workflows/taxHistoryBackfill): one at a time per
// shop; a start while one runs answers the running one. The task-priority keys of the server go with the input so
// the workflow's activities take the lowest one (workflows/shared/taskPriority.ts backgroundPriority).
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import { taxBackfillWorkflowId } from '../workflows/ids';
import { backfillProgressQuery, type TaxHistoryBackfillProgress } from '../workflows/taxHistoryBackfill/messages';
import { taxHistoryBackfill } from '../workflows/taxHistoryBackfill/workflow';

export interface BackfillStart {
  workflowId: string;
  runId: string;
  started: boolean;
}

export async function startTaxHistoryBackfill(
  temporal: Client,
  cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_PRIORITY_LEVELS' | 'TEMPORAL_PRIORITY_STEP_SECONDS'>,
  input: { shopId: string; months: number },
): Promise<BackfillStart> {
  const workflowId = taxBackfillWorkflowId(input.shopId);
  try {
    const handle = await temporal.workflow.start(taxHistoryBackfill, {
      workflowId,
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [
        {
          shopId: input.shopId,
          months: input.months,
          taskPriority: {
            levels: cfg.TEMPORAL_PRIORITY_LEVELS,
            deadlineStepMs: (cfg.TEMPORAL_PRIORITY_STEP_SECONDS ?? 60) * 1000,
          },
        },
      ],
    });
    return { workflowId, runId: handle.firstExecutionRunId, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const d = await temporal.workflow.getHandle(workflowId).describe();
    return { workflowId, runId: d.runId, started: false };
  }
}

/** The latest backfill of a shop: its status and progress (or result), undefined when none ever ran. */
export async function describeTaxHistoryBackfill(
  temporal: Client,
  shopId: string,
): Promise<{ workflowId: string; status: string; progress?: TaxHistoryBackfillProgress } | undefined> {
  const workflowId = taxBackfillWorkflowId(shopId);
  const handle = temporal.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    const progress =
      d.status.name === 'RUNNING'
        ? await handle.query(backfillProgressQuery)
        : d.status.name === 'COMPLETED'
          ? ((await handle.result()) as TaxHistoryBackfillProgress)
          : undefined;
    return { workflowId, status: d.status.name, ...(progress ? { progress } : {}) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
