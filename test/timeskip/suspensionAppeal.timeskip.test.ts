// The suspension appeal's clocks on the time-skipping server (issue 18 item 7): a counterfeit notice is refused and
// the workflow ends with the explanation; a late-dispatch notice is drafted, edited (the edit validated and stored as a
// version), approved, submitted before the window closes (reminders at the shop's offsets) and denied, after which ONE
// revised appeal states what changed and is decided; a draft nobody approves expires at the review deadline. The
// content activities (eligibility, evidence, draft, PDF), settings, human steps and the notifier are stand-ins with the
// real activity names.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { DEFAULT_SHOP_SETTINGS } from '../../shopSettings/schema';
import { suspensionAppealWorkflowId } from '../../workflows/ids';
import {
  getSuspensionAppealQuery,
  recordAppealDecisionUpdate,
  recordAppealSubmissionUpdate,
  reviewAppealPlanUpdate,
  type PlanOfAction,
} from '../../workflows/suspensionAppeal/messages';
import { suspensionAppeal } from '../../workflows/suspensionAppeal/workflow';
import {
  applicationFailureOf as failureOf,
  bundledWorker,
  encryptedClient,
  testConfig,
  timeSkippingEnv,
  uniqueId,
  until,
} from '../helpers/temporal';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHOP = 'shop-sa';
const WINDOW_MS = 30 * DAY;
const BY = 'ops (key 1)';

interface Call {
  name: string;
  input: any;
}

const draftPlan = (tag: string, changedSinceFirst?: string): PlanOfAction => ({
  noticeId: 'n',
  shopId: SHOP,
  rootCauses: [
    {
      breachType: 'late_dispatch',
      metric: 'ldr',
      rate: 0.12,
      numerator: 7,
      denominator: 58,
      windowDays: 30,
      threshold: 0.1,
      quoted: 0.12,
      causes: [{ cause: 'warehouse_hand_off_late', orders: 7 }],
      exampleOrderIds: ['5770001'],
      statement: `warehouse hand-off after the cut-off (${tag})`,
    },
  ],
  correctiveActions: [
    {
      id: 'settings-2',
      breachTypes: ['late_dispatch'],
      action: 'second carrier pickup at 16:00',
      inEffectFrom: '2026-03-02T00:00:00.000Z',
      evidence: 'shop settings version 2',
      source: 'settings',
    },
  ],
  preventiveControls: [
    {
      id: 'ldr-daily',
      breachTypes: ['late_dispatch'],
      control: 'dispatch SLA alert',
      owner: 'operations',
      measure: 'LDR, account health daily snapshot',
      target: 'under 4%',
    },
  ],
  summary: `Plan ${tag}`,
  ...(changedSinceFirst ? { changedSinceFirst } : {}),
});

function fakeWorld() {
  const calls: Call[] = [];
  const log = (name: string, input: unknown) => calls.push({ name, input: structuredClone(input) });
  let steps = 0;
  const activities = {
    readShopSettings: () => Promise.resolve(structuredClone(DEFAULT_SHOP_SETTINGS)),
    assessSuspensionNotice: (input: { notice: { reason: string; noticeDate: string } }) => {
      log('assessSuspensionNotice', input);
      if (/counterfeit/i.test(input.notice.reason))
        return Promise.resolve({
          eligible: false,
          category: 'counterfeit',
          breachTypes: [],
          explanation: 'Counterfeit findings are not operational: a Plan of Action about dispatch cannot answer them.',
          whereToGo: [
            { name: 'TikTok Shop Intellectual Property Policy (US)', url: 'https://x', what: 'proof of authenticity' },
          ],
          window: {
            appealBy: input.notice.noticeDate,
            secondAppealDays: 15,
            from: 'policy',
            source: 'row',
            uncertain: true,
          },
          rule: { key: 'appeals.category.counterfeit', source: 'product decision' },
        });
      return Promise.resolve({
        eligible: true,
        category: 'late_dispatch',
        breachTypes: ['late_dispatch'],
        explanation: 'operational',
        whereToGo: [],
        window: {
          appealBy: new Date(Date.parse(input.notice.noticeDate) + WINDOW_MS).toISOString(),
          days: 30,
          secondAppealDays: 15,
          from: 'policy',
          source: 'appeal window row',
          uncertain: true,
        },
        rule: { key: 'appeals.category.late_dispatch', source: 'product decision' },
      });
    },
    gatherAppealEvidence: (input: unknown) => {
      log('gatherAppealEvidence', input);
      return Promise.resolve({ fileId: 'e'.repeat(64), sha256: 'e'.repeat(64), counts: { lateDispatches: 7 } });
    },
    draftAppealPlan: (input: { revisionOf?: { denialReason: string } }) => {
      log('draftAppealPlan', input);
      if (!input.revisionOf) return Promise.resolve({ plan: draftPlan('first') });
      return Promise.resolve({
        plan: draftPlan('revised', `answers the denial: ${input.revisionOf.denialReason}; late dispatches 7 → 1`),
        changesSinceFirst: [
          'Since 2026-03-20: a second carrier pickup',
          'LDR 1.0% on 2026-03-30 (12.1% at the notice)',
        ],
      });
    },
    renderAppealPlan: (input: { version: number }) => {
      log('renderAppealPlan', input);
      const hex = String(input.version).repeat(64).slice(0, 64);
      return Promise.resolve({ fileId: hex, sha256: hex, pageCount: 3 });
    },
    recordSuspensionAppeal: (input: unknown) => Promise.resolve(log('recordSuspensionAppeal', input)),
    recordAppealVersion: (input: unknown) => Promise.resolve(log('recordAppealVersion', input)),
    notifySuspensionAppeal: (input: unknown) => Promise.resolve(log('notifySuspensionAppeal', input)),
    openHumanStep: (input: { stepKey: string }) => {
      log('openHumanStep', input);
      steps += 1;
      return Promise.resolve({ stepId: `${input.stepKey}#${steps}` });
    },
    closeHumanStep: (input: unknown) => Promise.resolve(log('closeHumanStep', input)),
  };
  return { calls, activities, of: (name: string) => calls.filter((c) => c.name === name).map((c) => c.input) };
}

describe('suspension appeals on the time-skipping server', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const cfg = testConfig();
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(async () => {
    world = fakeWorld();
    env = await timeSkippingEnv();
    client = encryptedClient(env, cfg);
    worker = await bundledWorker(env, cfg, world.activities);
    running = worker.run();
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function openAppeal(reason: string, noticeDaysAgo = 1) {
    const now = await env.currentTimeMs();
    const noticeId = uniqueId('n');
    const noticeDate = new Date(now - noticeDaysAgo * DAY).toISOString();
    const handle = await client.workflow.start(suspensionAppeal, {
      workflowId: suspensionAppealWorkflowId(SHOP, noticeId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [
        {
          shopId: SHOP,
          notice: {
            noticeId,
            reason,
            noticeDate,
            region: 'US',
            violatedPolicy: 'Shipping and Fulfillment Policy',
            quotedMetrics: { lateDispatchRate: 0.12 },
          },
          openedBy: BY,
        },
      ],
    });
    return { handle, noticeId, noticeDate, closes: new Date(Date.parse(noticeDate) + WINDOW_MS).toISOString() };
  }

  const step = (key: string, n = 1) =>
    until(`step ${key} (#${n})`, () => world.of('openHumanStep').filter((s) => s.stepKey === key)[n - 1]);

  test('a counterfeit notice is refused, recorded with where to go instead, and the workflow ends with it', async () => {
    const { handle } = await openAppeal('Counterfeit goods reported by the brand owner');
    const result = await handle.result();
    assert.equal(result.stage, 'refused');
    assert.equal(result.refusal?.category, 'counterfeit');
    assert.equal(result.refusal.whereToGo[0]?.what, 'proof of authenticity');
    const last = world.of('recordSuspensionAppeal').at(-1);
    assert.deepEqual([last.stage, last.closed, last.refusal.category], ['refused', true, 'counterfeit']);
    // Nothing was gathered, drafted or put to a person.
    assert.deepEqual(
      [world.of('gatherAppealEvidence').length, world.of('draftAppealPlan').length, world.of('openHumanStep').length],
      [0, 0, 0],
    );
  });

  test('draft → invalid edit refused → edit stored → approve → submit (reminded) → denied → ONE revision → approved', async () => {
    const { handle, noticeId, closes } = await openAppeal('Late dispatch rate above 10%');
    const review = await step('review:1');
    assert.equal(review.updateName, 'reviewAppealPlan');
    assert.equal(review.caseKind, 'suspension_appeal');
    assert.equal(review.context.version, 1);
    assert.equal(review.context.pdf, `/v1/shops/${SHOP}/suspension-appeals/${noticeId}/versions/1/pdf`);
    // Due 48 h after the draft (the shop's reviewWithin; activities in between take workflow time), well before the
    // window closes.
    const afterDraft = Date.parse(review.dueAt) - Date.parse(world.of('recordAppealVersion')[0].createdAt);
    assert.ok(afterDraft >= 48 * HOUR && afterDraft < 48 * HOUR + 60_000, `${afterDraft} ms`);

    // An edit that drops a field of the plan's shape: InvalidDecision, nothing stored.
    const broken = draftPlan('edited') as unknown as { preventiveControls: Record<string, unknown>[] };
    delete broken.preventiveControls[0]!.owner;
    await assert.rejects(
      handle.executeUpdate(reviewAppealPlanUpdate, {
        args: [{ decidedBy: BY, action: 'edit', plan: broken as unknown as PlanOfAction }],
      }),
      (err: unknown) => {
        assert.equal(failureOf(err)?.type, 'InvalidDecision');
        assert.match(failureOf(err)!.message, /preventiveControls\[0\] lacks owner/);
        return true;
      },
    );
    // A submission before any approval: refused (the appeal is not there yet).
    await assert.rejects(
      handle.executeUpdate(recordAppealSubmissionUpdate, { args: [{ decidedBy: BY }] }),
      (err: unknown) => failureOf(err)?.type === 'Refused',
    );
    const edited = await handle.executeUpdate(reviewAppealPlanUpdate, {
      args: [{ decidedBy: BY, action: 'edit', plan: draftPlan('edited'), version: 1, note: 'owner named' }],
    });
    assert.equal(edited.currentVersion, 2);
    assert.equal(edited.stage, 'awaiting_review');
    const v2 = world.of('recordAppealVersion')[1];
    assert.deepEqual([v2.version, v2.kind, v2.createdBy, v2.plan.summary], [2, 'edit', BY, 'Plan edited']);
    // Approving the version one looked at when a newer exists is refused.
    await assert.rejects(
      handle.executeUpdate(reviewAppealPlanUpdate, { args: [{ decidedBy: BY, action: 'approve', version: 1 }] }),
      (err: unknown) => failureOf(err)?.type === 'Refused',
    );
    const approved = await handle.executeUpdate(reviewAppealPlanUpdate, {
      args: [{ decidedBy: BY, action: 'approve', version: 2 }],
    });
    assert.equal(approved.approvedVersion, 2);
    const submit = await step('submit:1');
    assert.equal(submit.dueAt, closes);
    assert.equal(submit.context.version, 2);

    // The 72 h reminder before the window closes.
    await env.sleep(Date.parse(closes) - 72 * HOUR - (await env.currentTimeMs()) + HOUR);
    const reminder = await until('the 72 h reminder', () => world.of('notifySuspensionAppeal')[0]);
    assert.deepEqual([reminder.kind, reminder.severity], ['reminder:1:72h', 'warning']);
    await handle.executeUpdate(recordAppealSubmissionUpdate, { args: [{ decidedBy: BY, reference: 'SC-1' }] });
    await step('decision:1');
    // A denial without TikTok's reason is refused: the reason drives the revision.
    await assert.rejects(
      handle.executeUpdate(recordAppealDecisionUpdate, { args: [{ decidedBy: BY, decision: 'denied' }] }),
      (err: unknown) => failureOf(err)?.type === 'InvalidDecision',
    );
    const denied = await handle.executeUpdate(recordAppealDecisionUpdate, {
      args: [{ decidedBy: BY, decision: 'denied', reason: 'Root cause not specific enough' }],
    });
    assert.equal(denied.decisions[0]?.decision, 'denied');

    // Round 2: fresh evidence, the revision drafted from the first approved plan and the denial.
    const review2 = await step('review:2');
    const revisionInput = world.of('draftAppealPlan')[1];
    assert.equal(revisionInput.revisionOf.denialReason, 'Root cause not specific enough');
    assert.equal(revisionInput.revisionOf.plan.summary, 'Plan edited');
    assert.equal(world.of('gatherAppealEvidence').length, 2);
    const v3 = world.of('recordAppealVersion')[2];
    assert.deepEqual([v3.version, v3.round, v3.kind], [3, 2, 'revision']);
    assert.equal(
      v3.plan.changedSinceFirst,
      'answers the denial: Root cause not specific enough; late dispatches 7 → 1',
    );
    assert.deepEqual(v3.changesSinceFirst, [
      'Since 2026-03-20: a second carrier pickup',
      'LDR 1.0% on 2026-03-30 (12.1% at the notice)',
    ]);
    assert.deepEqual((await handle.query(getSuspensionAppealQuery)).changesSinceFirst, v3.changesSinceFirst);
    assert.equal(review2.context.changedSinceFirst, v3.plan.changedSinceFirst);
    const view2 = await handle.query(getSuspensionAppealQuery);
    assert.equal(view2.round, 2);
    // The revision's window: the row's 15 days from the denial.
    assert.equal(Date.parse(view2.window!.closesAt), Date.parse(view2.decisions[0]!.at) + 15 * DAY);
    assert.equal(view2.window!.from, 'denial');
    assert.equal(world.of('notifySuspensionAppeal').find((n) => n.kind === 'revision')?.severity, 'warning');

    await handle.executeUpdate(reviewAppealPlanUpdate, { args: [{ decidedBy: BY, action: 'approve' }] });
    await step('submit:2');
    await handle.executeUpdate(recordAppealSubmissionUpdate, { args: [{ decidedBy: BY, reference: 'SC-2' }] });
    await step('decision:2');
    await handle.executeUpdate(recordAppealDecisionUpdate, { args: [{ decidedBy: BY, decision: 'approved' }] });
    const result = await handle.result();
    assert.deepEqual(
      [result.stage, result.round, result.decision, result.approvedVersion, result.versions],
      ['approved', 2, 'approved', 3, 3],
    );
    const last = world.of('recordSuspensionAppeal').at(-1);
    assert.deepEqual([last.stage, last.round, last.closed, last.submissionReference], ['approved', 2, true, 'SC-2']);
    assert.equal(last.rounds[0].decision, 'denied');
    // Each step was closed as decided, by the person.
    const closed = world.of('closeHumanStep').map((c) => `${c.stepKey}:${c.outcome}`);
    for (const key of ['review:1', 'submit:1', 'decision:1', 'review:2', 'submit:2', 'decision:2'])
      assert.ok(closed.includes(`${key}:decided`), `${key} closed as decided: ${closed.join(', ')}`);
  });

  test('a second denial ends the appeal: no third round', async () => {
    const { handle } = await openAppeal('Late dispatch rate above 10%');
    for (const round of [1, 2]) {
      await step(`review:${round}`);
      await handle.executeUpdate(reviewAppealPlanUpdate, { args: [{ decidedBy: BY, action: 'approve' }] });
      await step(`submit:${round}`);
      await handle.executeUpdate(recordAppealSubmissionUpdate, { args: [{ decidedBy: BY }] });
      await step(`decision:${round}`);
      await handle.executeUpdate(recordAppealDecisionUpdate, {
        args: [{ decidedBy: BY, decision: 'denied', reason: `not enough (${round})` }],
      });
    }
    const result = await handle.result();
    assert.deepEqual([result.stage, result.round, result.decision], ['denied', 2, 'denied']);
    assert.equal(world.of('draftAppealPlan').length, 2);
  });

  test('nobody approves the draft: at the review deadline the appeal expires, its step closed so, paged critical', async () => {
    const { handle } = await openAppeal('Late dispatch rate above 10%');
    const review = await step('review:1');
    await env.sleep(Date.parse(review.dueAt) - (await env.currentTimeMs()) + 1000);
    const result = await handle.result();
    assert.deepEqual([result.stage, result.versions], ['expired', 1]);
    const closed = world.of('closeHumanStep')[0];
    assert.deepEqual([closed.stepKey, closed.outcome, closed.decidedAt], ['review:1', 'expired', review.dueAt]);
    const page = world.of('notifySuspensionAppeal').find((n) => n.kind === 'expired');
    assert.deepEqual([page.severity, page.recipients], ['critical', ['operations', 'owner']]);
    const view = await handle.query(getSuspensionAppealQuery);
    assert.deepEqual(view.expired, { step: 'review', at: review.dueAt });
    // An approval after the deadline: DeadlinePassed is not reachable (the appeal ended); a late update is refused.
    await assert.rejects(
      handle.executeUpdate(reviewAppealPlanUpdate, { args: [{ decidedBy: BY, action: 'approve' }] }),
    );
  });
});
