// Compressed time (demo/compressedTime.ts): one factor shortens TikTok's windows and the shop's offsets alike, in the
// `ms` format shop settings take.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compressedOffsets, COMPRESSED_RULES, DEFAULT_COMPRESSION } from '../../demo/compressedTime';
import { compressedDuration, compressedMs } from '../../demo/scenario';

test("the demo's factor turns TikTok's 48-hour window into a minute", () => {
  assert.equal(compressedMs('48h', DEFAULT_COMPRESSION), 60_000);
  assert.equal(compressedDuration('48h', DEFAULT_COMPRESSION), '60s');
  assert.equal(compressedDuration('1h', 5760), '625ms');
  assert.equal(compressedDuration('2.5s', 2), '1250ms');
  // Never zero: a window of 0 ms would be over before it opened.
  assert.equal(compressedMs('1s', 1_000_000), 1);
  assert.throws(() => compressedMs('soon', 2), /'soon' is not a duration/);
});

test('the offsets of the shop settings shrink by the same factor, severities kept', () => {
  assert.deepEqual(
    compressedOffsets(
      {
        escalations: [
          { beforeDeadline: '24h', severity: 'warning' },
          { beforeDeadline: '6h', severity: 'warning' },
        ],
        criticalBeforeDeadline: '1h',
      },
      2880,
    ),
    {
      escalations: [
        { beforeDeadline: '30s', severity: 'warning' },
        { beforeDeadline: '7500ms', severity: 'warning' },
      ],
      criticalBeforeDeadline: '1250ms',
    },
  );
});

test('every compressed window names a real duration', () => {
  for (const { rule, real } of COMPRESSED_RULES) assert.ok(compressedMs(real, 1) >= 60_000, rule);
});
