import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureDigest } from '../../scripts/tapDigest';

// What node's TAP reporter writes for a suite with one failed and one passed test (node 22).
const TAP = [
  'TAP version 13',
  '# Subtest: outer',
  '    # Subtest: inner fails',
  '    not ok 1 - inner fails',
  '      ---',
  '      duration_ms: 2.25',
  "      location: '/repo/dist/test/a.test.js:2:27'",
  "      failureType: 'testCodeFailure'",
  '      error: |-',
  '        Expected values to be strictly equal:',
  '        ',
  '        2 !== 3',
  "      code: 'ERR_ASSERTION'",
  '      stack: |-',
  '        TestContext.<anonymous> (/repo/dist/test/a.test.js:2:62)',
  '      ...',
  '    # Subtest: ok',
  '    ok 2 - ok',
  '      ---',
  '      duration_ms: 0.09',
  '      ...',
  '    1..2',
  'not ok 1 - outer',
  '  ---',
  '  duration_ms: 3.11',
  "  type: 'suite'",
  "  failureType: 'subtestsFailed'",
  "  error: '1 subtest failed'",
  '  ...',
  '1..1',
].join('\n');

test('the digest names each failed test with its location and error, without the stack or the failed suite', () => {
  assert.deepEqual(failureDigest(TAP), [
    [
      '✖ inner fails',
      "    location: '/repo/dist/test/a.test.js:2:27'",
      "    failureType: 'testCodeFailure'",
      '    error: |-',
      '      Expected values to be strictly equal:',
      '      ',
      '      2 !== 3',
      "    code: 'ERR_ASSERTION'",
    ].join('\n'),
  ]);
});

test('a report without failures has an empty digest', () => {
  assert.deepEqual(failureDigest('TAP version 13\nok 1 - fine\n  ---\n  duration_ms: 1\n  ...\n1..1\n'), []);
});
