// The suspension appeal's validators (workflows/suspensionAppeal/appealRules.ts): an edited plan keeps the shape of the
// version it replaces; reviews, submissions and decisions are refused with the failure type the API maps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  planProblems,
  refuseAppealDecision,
  refuseAppealSubmission,
  refuseReview,
} from '../../workflows/suspensionAppeal/appealRules';
import type { PlanOfAction } from '../../workflows/suspensionAppeal/messages';

const DAY = 86_400_000;
const template = {
  noticeId: 'n-1',
  shopId: 'shop-1',
  rootCauses: [
    {
      breachType: 'late_dispatch',
      metric: 'ldr',
      rate: 0.12,
      numerator: 12,
      denominator: 100,
      windowDays: 30,
      threshold: 0.1,
      quoted: null,
      causes: [{ cause: 'warehouse_hand_off_late', orders: 12 }],
      exampleOrderIds: ['1', '2'],
      statement: 'hand-off after the cut-off',
    },
  ],
  correctiveActions: [
    {
      id: 'settings-3',
      breachTypes: ['late_dispatch'],
      action: 'second pickup',
      inEffectFrom: '2026-03-02T00:00:00Z',
      evidence: 'settings version 3',
      source: 'settings',
    },
  ],
  preventiveControls: [
    {
      id: 'ldr-daily',
      breachTypes: ['late_dispatch'],
      control: 'SLA alert',
      owner: 'operations',
      measure: 'LDR',
      target: '< 4%',
    },
  ],
  summary: 'We fixed it.',
};
const edited = () => structuredClone(template) as Record<string, any>;

test('an edit with the same sections and fields passes; a null rate may become a number', () => {
  const plan = edited();
  plan.rootCauses[0].statement = 'the warehouse handed parcels over after 17:00 on 9 of 12 days';
  plan.rootCauses[0].quoted = 0.12;
  plan.rootCauses[0].causes.push({ cause: 'carrier_pickup_late', orders: 1 });
  plan.preventiveControls.push({ ...plan.preventiveControls[0], id: 'weekly', owner: 'owner' });
  assert.deepEqual(planProblems(plan, template), []);
});

test('an edit that changes the shape is refused, naming where', () => {
  const noOwner = edited();
  delete noOwner.preventiveControls[0].owner;
  assert.deepEqual(planProblems(noOwner, template), ['plan.preventiveControls[0] lacks owner']);
  const extra = edited();
  extra.correctiveActions[0].cost = '100';
  extra.appendix = 'x';
  assert.deepEqual(planProblems(extra, template), [
    'plan.appendix is not a section of the plan',
    'plan.correctiveActions[0] has fields the plan does not have: cost',
  ]);
  const wrongTypes = edited();
  wrongTypes.rootCauses[0].numerator = '12';
  wrongTypes.rootCauses[0].causes = ['twelve'];
  wrongTypes.summary = '   ';
  wrongTypes.correctiveActions = [];
  assert.deepEqual(planProblems(wrongTypes, template), [
    'plan.rootCauses[0].numerator must be a number',
    'plan.correctiveActions needs at least one entry',
    'plan.summary must be text of 1-4000 characters',
  ]);
  const wrongCauses = edited();
  wrongCauses.rootCauses[0].breachType = 'counterfeit';
  wrongCauses.preventiveControls[0].breachTypes = ['late_dispatch', 'ip'];
  wrongCauses.shopId = 'shop-2';
  assert.deepEqual(planProblems(wrongCauses, template), [
    'plan.shopId must stay shop-1',
    'plan.rootCauses[0].breachType must be one of late_dispatch, valid_tracking, seller_fault_cancellation',
    'plan.preventiveControls[0].breachTypes lists a breach type other than late_dispatch, valid_tracking, seller_fault_cancellation',
  ]);
  // One problem per entry: the first field that is wrong.
  const causes = edited();
  causes.rootCauses[0].causes = ['twelve'];
  assert.deepEqual(planProblems(causes, template), [
    "plan.rootCauses[0].causes[0] must be like the plan's other entries there",
  ]);
  const missing = edited();
  delete missing.preventiveControls;
  assert.deepEqual(planProblems(missing, template), ['plan.preventiveControls is missing']);
  assert.deepEqual(planProblems([], template), ['plan must be an object']);
  const huge = edited();
  huge.summary = 'x'.repeat(70_000);
  assert.match(planProblems(huge, template)[0]!, /larger than 64000/);
});

const reviewing = { stage: 'awaiting_review' as const, dueMs: 10 * DAY, currentVersion: 2, template };

test('reviews: approve, edit, stale version, late, wrong stage', () => {
  assert.equal(refuseReview({ decidedBy: 'a', action: 'approve' }, reviewing, DAY), undefined);
  assert.equal(
    refuseReview({ decidedBy: 'a', action: 'edit', plan: edited() as PlanOfAction, version: 2 }, reviewing, DAY),
    undefined,
  );
  const type = (r: ReturnType<typeof refuseReview>) => r?.type;
  assert.equal(type(refuseReview({ decidedBy: 'a', action: 'approve', version: 1 }, reviewing, DAY)), 'Refused');
  assert.equal(type(refuseReview({ decidedBy: 'a', action: 'edit' }, reviewing, DAY)), 'InvalidDecision');
  assert.equal(
    type(refuseReview({ decidedBy: 'a', action: 'approve', plan: edited() as PlanOfAction }, reviewing, DAY)),
    'InvalidDecision',
  );
  assert.equal(
    type(refuseReview({ decidedBy: 'a', action: 'reject' as 'approve' }, reviewing, DAY)),
    'InvalidDecision',
  );
  assert.equal(type(refuseReview({ decidedBy: 'a', action: 'approve' }, reviewing, 10 * DAY)), 'DeadlinePassed');
  assert.equal(
    type(refuseReview({ decidedBy: 'a', action: 'approve' }, { ...reviewing, stage: 'drafting' }, DAY)),
    'Refused',
  );
  const full = { ...reviewing, currentVersion: 25 };
  const plan = edited() as PlanOfAction;
  assert.equal(type(refuseReview({ decidedBy: 'a', action: 'edit', plan, version: 25 }, full, DAY)), 'Refused');
  assert.equal(type(refuseReview({ decidedBy: 'a', action: 'approve', version: 25 }, full, DAY)), undefined);
  const bad = edited();
  bad.rootCauses[0].windowDays = 'thirty';
  const r = refuseReview({ decidedBy: 'a', action: 'edit', plan: bad as PlanOfAction }, reviewing, DAY);
  assert.deepEqual(r, {
    type: 'InvalidDecision',
    message: 'the edited plan is not valid: plan.rootCauses[0].windowDays must be a number',
  });
});

test("an edit keeps the draft's numbers (appeal/planOfAction.ts validatePlan after the shape)", () => {
  const draft = edited() as PlanOfAction;
  const plan = edited();
  plan.rootCauses[0].numerator = 3;
  const r = refuseReview({ decidedBy: 'a', action: 'edit', plan: plan as PlanOfAction }, { ...reviewing, draft }, DAY);
  assert.equal(r?.type, 'InvalidDecision');
  assert.match(r.message, /rootCauses\[late_dispatch\]: rate, numerator, denominator and window are the records'/);
  const words = edited();
  words.summary = 'Reworded by the owner.';
  const ok = refuseReview(
    { decidedBy: 'a', action: 'edit', plan: words as PlanOfAction },
    { ...reviewing, draft },
    DAY,
  );
  assert.equal(ok, undefined);
});

test('submissions: only while waiting for one, before the window closes, not before the notice', () => {
  const c = { stage: 'awaiting_submission' as const, windowClosesMs: 30 * DAY, noticeMs: DAY };
  assert.equal(refuseAppealSubmission({ decidedBy: 'a', reference: 'SC-1' }, c, 2 * DAY), undefined);
  assert.equal(refuseAppealSubmission({ decidedBy: 'a' }, c, 30 * DAY)?.type, 'DeadlinePassed');
  assert.equal(refuseAppealSubmission({ decidedBy: 'a' }, { ...c, stage: 'expired' }, 2 * DAY)?.type, 'DeadlinePassed');
  assert.equal(
    refuseAppealSubmission({ decidedBy: 'a' }, { ...c, stage: 'awaiting_review' }, 2 * DAY)?.type,
    'Refused',
  );
  const early = new Date(DAY / 2).toISOString();
  assert.equal(refuseAppealSubmission({ decidedBy: 'a', submittedAt: early }, c, 2 * DAY)?.type, 'InvalidDecision');
});

test("decisions: approved or denied, a denial with TikTok's reason, only after a submission", () => {
  const c = { stage: 'submitted' as const };
  assert.equal(refuseAppealDecision({ decidedBy: 'a', decision: 'approved' }, c), undefined);
  assert.equal(refuseAppealDecision({ decidedBy: 'a', decision: 'denied', reason: 'vague' }, c), undefined);
  assert.equal(refuseAppealDecision({ decidedBy: 'a', decision: 'denied', reason: ' ' }, c)?.type, 'InvalidDecision');
  assert.equal(refuseAppealDecision({ decidedBy: 'a', decision: 'won' as 'approved' }, c)?.type, 'InvalidDecision');
  assert.equal(
    refuseAppealDecision({ decidedBy: 'a', decision: 'approved' }, { stage: 'awaiting_submission' })?.type,
    'Refused',
  );
});
