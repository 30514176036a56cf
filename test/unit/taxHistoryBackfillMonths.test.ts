// The backfill's month windows (workflows/taxHistoryBackfill/months.ts): whole UTC months before the current one,
// newest first, across a year boundary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthsBefore } from '../../workflows/taxHistoryBackfill/months';

test('three months before 2026-02-10: January, December, November, each [first day, next first day)', () => {
  assert.deepEqual(monthsBefore(Date.parse('2026-02-10T08:00:00Z'), 3), [
    { month: '2026-01', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
    { month: '2025-12', from: '2025-12-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' },
    { month: '2025-11', from: '2025-11-01T00:00:00.000Z', to: '2025-12-01T00:00:00.000Z' },
  ]);
  assert.equal(monthsBefore(Date.parse('2026-02-10T08:00:00Z'), 24).at(-1)?.month, '2024-02');
});
