// The `appeal` commands' text (cli/suspensionAppeal.ts): a refusal names where to go, a diff shows each change, and
// the step commands find the open step of the kind they answer or say there is none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAppeal, formatDiff, openStep, type AppealView } from '../../cli/suspensionAppeal';

const base: AppealView = {
  noticeId: 'n-1',
  notice: { reason: 'Late dispatch', violatedPolicy: 'LDR', noticeDate: '2026-03-01T00:00:00Z' },
  stage: 'awaiting_review',
  round: 1,
  versions: [
    { version: 1, round: 1, kind: 'draft', createdBy: 'system', createdAt: '2026-03-01T00:01:00Z' },
    { version: 2, round: 1, kind: 'edit', createdBy: 'ops (key 1)', createdAt: '2026-03-01T01:00:00Z' },
  ],
  humanSteps: [
    { id: '7', stepKey: 'review:1', closedAt: null, dueAt: '2026-03-03T00:01:00Z' },
    { id: '6', stepKey: 'submit:0', closedAt: '2026-02-01T00:00:00Z', dueAt: null },
  ],
};

test('an appeal shows its versions and open steps; a refusal names where to go', () => {
  const text = formatAppeal({ ...base, approvedVersion: 2 });
  assert.match(text, /^Suspension appeal n-1: awaiting_review \(round 1\)/);
  assert.match(text, /Version 2 \(round 1, edit\) by ops \(key 1\) at 2026-03-01T01:00:00Z — approved/);
  assert.match(text, /Step 7 review:1: open, due 2026-03-03T00:01:00Z/);
  const refused = formatAppeal({
    ...base,
    stage: 'refused',
    refusal: {
      category: 'counterfeit',
      explanation: 'not operational',
      whereToGo: [{ name: 'IP policy', url: 'https://x' }],
    },
  });
  assert.match(refused, /Refused: {2}counterfeit: not operational\nGo to: {4}IP policy: https:\/\/x/);
});

test('a diff lists each change; the step commands find the open step of their kind', () => {
  const text = formatDiff({
    from: { version: 1, kind: 'draft', createdBy: 'system' },
    to: { version: 2, kind: 'edit', createdBy: 'ops' },
    changes: [
      { path: 'summary', kind: 'changed', before: 'a', after: 'b' },
      { path: 'preventiveControls[weekly]', kind: 'added', after: { id: 'weekly' } },
    ],
  });
  assert.equal(
    text,
    'Version 1 (draft) → 2 (edit, by ops): 2 change(s)\n~ summary: a → b\n+ preventiveControls[weekly]: {"id":"weekly"}',
  );
  assert.equal(openStep(base, 'review').id, '7');
  assert.throws(() => openStep(base, 'submit'), /appeal n-1 is awaiting_review: it has no open submit step/);
});
