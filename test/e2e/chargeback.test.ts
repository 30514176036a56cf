// Chargebacks and appeals through the HTTP API on the dev server with the real workflows, activities and database:
// open from a notice (a second POST answers the same case), the evidence gathered at once, the submission and the
// outcome decided through the human-step route, the case listed and shown shop-scoped; a notice past its deadline and
// a dispute decided more than 21 days ago refused. The carrier tracker and the bundle builder are stand-ins here (their
// own tests cover them; demo/chargeback.ts runs the real ones).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chargebackWorkflowId } from '../../workflows/ids';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { until } from '../helpers/until';

const DAY = 86_400_000;
const SHOP = 'shop-cb';

describe('chargebacks and dispute appeals through the API', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const built: { caseKind: string; caseId: string; requestedBy: string }[] = [];

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(
      env,
      {},
      {
        activities: {
          trackOrderShipment: (input: { orderId: string }) =>
            Promise.resolve({
              carrier: 'USPS',
              trackingCode: `TRK-${input.orderId}`,
              status: 'delivered',
              scans: [],
              deliveredAt: '2026-05-02T15:04:00Z',
            }),
          buildEvidenceBundle: (input: { caseKind: string; caseId: string; requestedBy: string }) => {
            built.push(input);
            return Promise.resolve({
              bundleId: `eb_${input.caseId}`,
              fileId: 'a'.repeat(64),
              sha256: 'a'.repeat(64),
              pageCount: 2,
              sizeBytes: 2048,
              dataAsOf: '2026-05-02T15:04:00.000Z',
              builtAt: new Date().toISOString(),
            });
          },
        },
      },
    );
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  const notice = (chargebackId: string, deadlineInMs = 7 * DAY) => ({
    chargebackId,
    orderId: '576000000000000001',
    reason: 'Item not received',
    amount: '42.50',
    currency: 'USD',
    noticeDate: new Date(Date.now() - 3_600_000).toISOString(),
    responseDeadline: new Date(Date.now() + deadlineInMs).toISOString(),
    network: 'Visa',
  });
  const show = (id: string) => stack.call('GET', `/v1/shops/${SHOP}/chargebacks/${id}`);

  test('open → bundle at once → submitted → won, through the API and the human-step route', async () => {
    const id = uniqueId('cb');
    const body = notice(id);
    const opened = await stack.call('POST', `/v1/shops/${SHOP}/chargebacks`, body);
    assert.equal(opened.status, 201, JSON.stringify(opened.json));
    assert.equal(opened.json.case.workflowId, chargebackWorkflowId(SHOP, id));
    assert.equal(opened.json.case.deadline, body.responseDeadline);

    const waiting = await until('the submit step', async () => {
      const r = await show(id);
      return r.json?.stage === 'awaiting_submission' ? r.json : undefined;
    });
    // The same notice again: the case already there, not a second one.
    const again = await stack.call('POST', `/v1/shops/${SHOP}/chargebacks`, body);
    assert.equal(again.status, 200);
    assert.equal(again.json.created, false);
    assert.equal(again.json.case.caseId, id);
    assert.deepEqual(
      built.filter((b) => b.caseId === id),
      [
        {
          shopId: SHOP,
          caseKind: 'chargeback',
          caseId: id,
          orderId: body.orderId,
          requestedBy: built.find((b) => b.caseId === id)!.requestedBy,
        },
      ],
    );
    assert.match(built.find((b) => b.caseId === id)!.requestedBy, /\(key /);
    assert.equal(waiting.bundles[0].bundleId, `eb_${id}`);
    assert.equal(waiting.tracking.trackingCode, `TRK-${body.orderId}`);
    const step = waiting.humanSteps.find((s: { stepKey: string }) => s.stepKey === 'submit');
    assert.equal(step.dueAt, body.responseDeadline);
    assert.equal(step.context.bundle.bundleId, `eb_${id}`);
    assert.equal(step.caseKind, 'chargeback');

    // A body the validator refuses: 422 with its reason, through the human-step route.
    const bad = await stack.call('POST', `/v1/human-steps/${step.id}/decision`, { submittedAt: 'last tuesday' });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.error.code, 'invalid_decision');
    const submitted = await stack.call('POST', `/v1/human-steps/${step.id}/decision`, { reference: 'SC-778' });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.json));
    assert.equal(submitted.json.result.stage, 'submitted');

    const outcomeStep = await until('the outcome step', async () => {
      const r = await show(id);
      return r.json?.humanSteps.find((s: { stepKey: string; closedAt: string | null }) => s.stepKey === 'outcome');
    });
    const decided = await stack.call('POST', `/v1/human-steps/${outcomeStep.id}/decision`, { outcome: 'won' });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    const list = await until('the case recorded closed', async () => {
      const r = await stack.call('GET', `/v1/shops/${SHOP}/chargebacks?open=false`);
      return r.json.chargebacks.find((c: { caseId: string }) => c.caseId === id);
    });
    assert.deepEqual(
      [list.stage, list.outcome, list.amountRecovered, list.bundleId, list.submissionReference],
      ['won', 'won', '42.5000', `eb_${id}`, 'SC-778'],
    );
    assert.equal(list.amount.amount, '42.5000');
    assert.deepEqual(list.details, { network: 'Visa' });
  });

  test('a notice past its deadline, a malformed one, an appeal older than 21 days are refused', async () => {
    const late = await stack.call('POST', `/v1/shops/${SHOP}/chargebacks`, {
      ...notice(uniqueId('cb')),
      noticeDate: new Date(Date.now() - 9 * DAY).toISOString(),
      responseDeadline: new Date(Date.now() - DAY).toISOString(),
    });
    assert.equal(late.status, 422);
    assert.equal(late.json.error.code, 'response_deadline_passed');
    const malformed = await stack.call('POST', `/v1/shops/${SHOP}/chargebacks`, { ...notice('x'), amount: '42,50' });
    assert.equal(malformed.status, 400);

    const appeal = (decidedAt: string) => ({
      disputeId: uniqueId('d'),
      disputeType: 'return_refund',
      orderId: '576000000000000002',
      returnId: '4035000000000001',
      decision: 'Refund the buyer in full',
      decidedAt,
    });
    const old = await stack.call(
      'POST',
      `/v1/shops/${SHOP}/dispute-appeals`,
      appeal(new Date(Date.now() - 22 * DAY).toISOString()),
    );
    assert.equal(old.status, 422);
    assert.equal(old.json.error.code, 'appeal_window_closed');
    assert.match(old.json.error.message, /21 days/);
    const decidedAt = new Date(Date.now() - 20 * DAY).toISOString();
    const fresh = appeal(decidedAt);
    const ok = await stack.call('POST', `/v1/shops/${SHOP}/dispute-appeals`, fresh);
    assert.equal(ok.status, 201, JSON.stringify(ok.json));
    assert.equal(ok.json.case.deadline, new Date(Date.parse(decidedAt) + 21 * DAY).toISOString());
    const shown = await until('the appeal waiting for its submission', async () => {
      const r = await stack.call('GET', `/v1/shops/${SHOP}/dispute-appeals/${fresh.disputeId}`);
      return r.json?.stage === 'awaiting_submission' ? r.json : undefined;
    });
    assert.equal(shown.deadline, ok.json.case.deadline);
    assert.match(shown.deadlineSource, /After-Sale Dispute Escalation Policy/);
    assert.equal(shown.returnId, fresh.returnId);
    const listed = await stack.call('GET', `/v1/shops/${SHOP}/dispute-appeals?open=true`);
    assert.ok(listed.json.disputeAppeals.some((c: { caseId: string }) => c.caseId === fresh.disputeId));
  });
});
