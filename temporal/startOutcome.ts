import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';

/**
 * What one start-or-signal did: a new workflow (also a new run after one that failed), a signal to the running one,
 * or nothing (its workflow completed: ALLOW_DUPLICATE_FAILED_ONLY refuses a second run).
 */
export type StartOutcome = 'started' | 'signalled' | 'closed';

/**
 * Runs a signal-with-start of `workflowId` and tells the caller what happened (reconciliation counts it). The SDK
 * does not return the server's `started` flag, so the running execution is read first: the same run id afterwards
 * means it was only signalled. A webhook starting the workflow between the two calls is counted as "started" (counts
 * only; the signal-with-start itself stays exactly-once).
 */
export async function signalWithStartOutcome(
  temporal: Client,
  workflowId: string,
  signalWithStart: () => Promise<{ signaledRunId: string }>,
): Promise<StartOutcome> {
  let runningRunId: string | undefined;
  try {
    const d = await temporal.workflow.getHandle(workflowId).describe();
    if (d.status.name === 'RUNNING') runningRunId = d.runId;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  try {
    const handle = await signalWithStart();
    return handle.signaledRunId === runningRunId ? 'signalled' : 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'closed';
    throw err;
  }
}
