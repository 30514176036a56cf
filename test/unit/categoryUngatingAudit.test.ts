// Reading the product audits (type-37 webhooks) as the category's decision, and the re-qualification clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  auditVerdict,
  decisionFromAudits,
  earliestExpiry,
  requalifyAtMs,
} from '../../workflows/categoryUngating/audit';

const at = '2026-11-20T00:00:00.000Z';

test('audit statuses: APPROVED passes, FAILED fails, AUDITING and PRE_APPROVED wait', () => {
  assert.deepEqual(['APPROVED', 'FAILED', 'AUDITING', 'PRE_APPROVED', 'approved'].map(auditVerdict), [
    'approved',
    'failed',
    'pending',
    'pending',
    'approved',
  ]);
});

test('the decision from audits: none while pending, a failure with its reasons, an approval first', () => {
  const pending = { productId: 'p1', status: 'PRE_APPROVED', reasons: ['RESTRICTED_CATEGORY_PENDING'], at };
  assert.equal(decisionFromAudits([pending]), undefined);
  assert.deepEqual(
    decisionFromAudits([pending, { productId: 'p2', status: 'FAILED', reasons: ['missing COA lot'], at }]),
    {
      decision: 'rejected',
      reasons: ['missing COA lot'],
      productId: 'p2',
    },
  );
  assert.deepEqual(decisionFromAudits([{ productId: 'p3', status: 'FAILED', at }])?.reasons, [
    'product p3 failed its audit',
  ]);
  assert.equal(
    decisionFromAudits([
      { productId: 'p2', status: 'FAILED', at },
      { productId: 'p1', status: 'APPROVED', at },
    ])?.decision,
    'approved',
  );
});

test('re-qualification starts 30 days before the earliest expiry, never in the past', () => {
  assert.equal(earliestExpiry([{ expiresOn: '2027-03-01' }, {}, { expiresOn: '2026-12-31' }]), '2026-12-31');
  assert.equal(earliestExpiry([{}]), undefined);
  const thirtyDays = 30 * 86_400_000;
  assert.equal(
    new Date(requalifyAtMs('2026-12-31', thirtyDays, Date.parse(at))).toISOString(),
    '2026-12-01T00:00:00.000Z',
  );
  assert.equal(requalifyAtMs('2026-12-01', thirtyDays, Date.parse(at)), Date.parse(at));
});
