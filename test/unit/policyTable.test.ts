import assert from 'node:assert/strict';
import { test } from 'node:test';
import { policy } from '../../policy';
import { policyValue, PolicyNotFoundError, type PolicyRow } from '../../policy/table';

const rows: PolicyRow[] = [
  { region: 'US', key: 'ldr.max', value: 0.04, effectiveFrom: '2025-01-01', source: 'a' },
  { region: 'US', key: 'ldr.max', value: 0.1, effectiveFrom: '2026-03-02', source: 'b' },
];

test('the row in force at a date wins; earlier dates see the older row', () => {
  assert.equal(policyValue(rows, 'US', 'ldr.max', new Date('2026-03-01T12:00:00Z')).value, 0.04);
  assert.equal(policyValue(rows, 'US', 'ldr.max', new Date('2026-03-02T00:00:00Z')).value, 0.1);
  assert.equal(policyValue(rows, 'US', 'ldr.max', new Date('2026-03-02T00:00:00Z')).source, 'b');
});

test('no row for the region, key or date is an error, never a default', () => {
  assert.throws(() => policyValue(rows, 'GB', 'ldr.max', new Date()), PolicyNotFoundError);
  assert.throws(() => policyValue(rows, 'US', 'ldr.max', new Date('2024-12-31T00:00:00Z')), PolicyNotFoundError);
});

test('US region rows carry their source', () => {
  const tz = policy<string>('US', 'region.timezone');
  assert.equal(tz.value, 'America/Los_Angeles');
  assert.match(tz.source, /fulfillment requirement \(SLA\)/);
});
