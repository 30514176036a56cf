// POST /v1/human-steps/:id/decision answers what the workflow's validator said (api/routes/humanSteps.ts):
// InvalidDecision 422, DeadlinePassed 409, any other refusal 409, a workflow that is gone 409, anything else not ours.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { RetryState } from '@temporalio/common';
import { decisionFailure } from '../../api/routes/humanSteps';

const step = { id: '12', workflowId: 'order:s:o' };
const refused = (cause: Error) => decisionFailure(new WorkflowUpdateFailedError('Workflow Update failed', cause), step);
const answer = (e: ReturnType<typeof decisionFailure>) => e && [e.status, e.code, e.message];

test('the validator decides the answer', () => {
  const invalid = ApplicationFailure.create({ type: 'InvalidDecision', message: 'stopped must be true or false' });
  assert.deepEqual(answer(refused(invalid)), [422, 'invalid_decision', 'stopped must be true or false']);
  const late = ApplicationFailure.create({ type: 'DeadlinePassed', message: 'the answer was due by 2026-12-05' });
  assert.deepEqual(answer(refused(late)), [409, 'deadline_passed', 'the answer was due by 2026-12-05']);
  const moved = ApplicationFailure.create({ type: 'Error', message: 'the order is cancelled' });
  assert.deepEqual(answer(refused(moved)), [409, 'update_refused', 'the order is cancelled']);
  // A failure inside the update handler (an activity) names its own reason.
  const inner = ApplicationFailure.create({ type: 'TikTokStateConflict', message: 'already shipped' });
  const activity = new ActivityFailure(
    'Activity task failed',
    'approveCancellation',
    '1',
    RetryState.NON_RETRYABLE_FAILURE,
    undefined,
    inner,
  );
  assert.deepEqual(answer(refused(activity)), [409, 'update_refused', 'already shipped']);
});

test('a workflow that is gone is a closed case; other errors are not about the decision', () => {
  const gone = new WorkflowNotFoundError('workflow execution already completed', 'order:s:o', undefined);
  assert.deepEqual(answer(decisionFailure(gone, step)), [
    409,
    'case_closed',
    'the workflow order:s:o of step 12 is no longer running',
  ]);
  assert.equal(decisionFailure(new Error('connection reset'), step), undefined);
});
