import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NON_RETRYABLE_TIKTOK_FAILURES as fromClasses } from '../../integrations/tiktok/errors';
import { NON_RETRYABLE_TIKTOK_FAILURES as forWorkflows } from '../../temporal/failureTypes';

test('workflow retry policies name exactly the non-retryable TikTok failure classes', () => {
  assert.deepEqual([...forWorkflows].sort(), [...fromClasses].sort());
});
