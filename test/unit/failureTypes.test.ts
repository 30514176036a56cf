import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TIKTOK_FAILURE_CLASSES, TIKTOK_FAILURE_TYPES } from '../../integrations/tiktok/errors';
import { NON_RETRYABLE_TIKTOK_FAILURES } from '../../workflows/shared/failureTypes';

test('the non-retryable list names TikTok failure classes, and each class takes its retry flag from it', () => {
  for (const type of NON_RETRYABLE_TIKTOK_FAILURES) assert.ok(TIKTOK_FAILURE_TYPES.includes(type), type);
  for (const cls of TIKTOK_FAILURE_CLASSES) {
    assert.equal(cls.NON_RETRYABLE, (NON_RETRYABLE_TIKTOK_FAILURES as readonly string[]).includes(cls.FAILURE_TYPE));
  }
});
