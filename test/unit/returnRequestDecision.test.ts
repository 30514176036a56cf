// The pure rules of a return decision (workflows/returnRequest/returnDecision.ts, returnStatus.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  allowedDecisions,
  autoApproval,
  compareDecimal,
  escalationPlan,
  refuseDecision,
  tiktokDecision,
  type AutoApproveSetting,
} from '../../workflows/returnRequest/returnDecision';
import { returnPhase } from '../../workflows/returnRequest/returnStatus';

const HOUR = 3_600_000;
const FILE = 'a'.repeat(64);

describe('seller actions and TikTok decisions', () => {
  test('each seller action maps to its Approve / Reject Return decision', () => {
    assert.equal(tiktokDecision('SELLER_RESPOND_REFUND', 'approve'), 'APPROVE_REFUND');
    assert.equal(tiktokDecision('SELLER_RESPOND_REFUND', 'reject'), 'REJECT_REFUND');
    assert.equal(tiktokDecision('SELLER_RESPOND_RETURN', 'approve'), 'APPROVE_RETURN');
    assert.equal(tiktokDecision('SELLER_RESPOND_RETURN', 'reject'), 'REJECT_RETURN');
    assert.equal(tiktokDecision('SELLER_RESPOND_RECEIVE_PACKAGE', 'approve'), 'APPROVE_RECEIVED_PACKAGE');
    assert.equal(tiktokDecision('SELLER_RESPOND_RECEIVE_PACKAGE', 'reject'), 'REJECT_RECEIVED_PACKAGE');
    assert.equal(tiktokDecision('SELLER_RESPOND_REPLACEMENT', 'approve'), 'APPROVE_REPLACEMENT');
    assert.equal(tiktokDecision('SELLER_RESPOND_REPLACEMENT', 'reject'), 'REJECT_REPLACEMENT');
    assert.deepEqual(allowedDecisions('SELLER_RESPOND_RETURN'), ['approve', 'reject']);
    assert.deepEqual(allowedDecisions('SELLER_RESPOND_CANCEL'), []);
  });
});

describe('compareDecimal: exact, on strings', () => {
  test('scales and leading zeros do not matter; no float rounding', () => {
    assert.equal(compareDecimal('25', '25.00'), 0);
    assert.equal(compareDecimal('25.01', '25'), 1);
    assert.equal(compareDecimal('024.99', '25'), -1);
    assert.equal(compareDecimal('100', '99.99'), 1);
    assert.equal(compareDecimal('0.3', '0.30'), 0);
    // 0.1 + 0.2 style traps are irrelevant: digits are compared, not numbers.
    assert.equal(compareDecimal('90071992547409931.01', '90071992547409931.02'), -1);
    assert.equal(compareDecimal('-1', '2'), undefined);
    assert.equal(compareDecimal('1e3', '2'), undefined);
  });
});

describe('autoApproval', () => {
  const rule: AutoApproveSetting = {
    enabled: true,
    maxRefund: { amount: '25.00', currency: 'USD' },
    reasons: ['damaged'],
    types: ['REFUND'],
  };
  const refund = (amount: string, currency = 'USD') => ({ amount, currency });
  const request = {
    action: 'SELLER_RESPOND_REFUND',
    type: 'REFUND',
    reason: 'damaged',
    refund: refund('25'),
  };

  test('a refund-only request at the limit, same currency, listed reason: approved', () => {
    assert.equal(autoApproval(rule, request).applies, true);
  });
  test('each condition refuses on its own, saying which', () => {
    const no = (c: Partial<typeof request>, r: AutoApproveSetting = rule) => autoApproval(r, { ...request, ...c });
    assert.match(no({}, { ...rule, enabled: false }).why, /off/);
    assert.equal(no({ refund: refund('25.01') }).applies, false);
    assert.match(no({ refund: refund('25.01') }).why, /over the limit/);
    assert.match(no({ refund: refund('5', 'EUR') }).why, /EUR/);
    assert.match(no({ reason: 'changed_mind' }).why, /changed_mind/);
    assert.equal(no({ type: 'RETURN_AND_REFUND', action: 'SELLER_RESPOND_RETURN' }).applies, false);
    assert.equal(no({ refund: undefined }).applies, false);
    assert.equal(no({ refund: refund('abc') }).applies, false);
  });
});

describe('refuseDecision', () => {
  const pending = {
    action: 'SELLER_RESPOND_RETURN',
    deadlineMs: 10 * HOUR,
    rejectReasons: [{ name: 'seller_reject_return_product_used' }],
  };
  const now = 9 * HOUR;
  const reject = {
    decidedBy: 'key:ops',
    decision: 'reject',
    rejectReason: 'seller_reject_return_product_used',
    evidenceFileIds: [FILE],
  };

  test('a valid approval and a valid rejection with evidence pass', () => {
    assert.equal(refuseDecision({ decidedBy: 'key:ops', decision: 'approve' }, pending, now), undefined);
    assert.equal(refuseDecision(reject, pending, now), undefined);
    assert.equal(refuseDecision({ decidedBy: 'x', decision: 'approve', buyerKeepItem: true }, pending, now), undefined);
  });
  test('at and after the deadline: DeadlinePassed; one millisecond before: accepted', () => {
    assert.equal(refuseDecision(reject, pending, pending.deadlineMs - 1), undefined);
    assert.equal(refuseDecision(reject, pending, pending.deadlineMs)?.type, 'DeadlinePassed');
    assert.equal(refuseDecision(reject, pending, pending.deadlineMs + 1)?.type, 'DeadlinePassed');
  });
  test('InvalidDecision: nothing pending, unknown decision, reason not offered, no evidence, no decidedBy', () => {
    const invalid = (input: object, p: typeof pending | undefined = pending) => refuseDecision(input, p, now);
    assert.equal(refuseDecision(reject, undefined, now)?.type, 'InvalidDecision');
    assert.equal(invalid({ ...reject, decision: 'maybe' })?.type, 'InvalidDecision');
    assert.match(invalid({ ...reject, rejectReason: 'made_up' })!.message, /seller_reject_return_product_used/);
    assert.match(invalid({ ...reject, evidenceFileIds: [] })!.message, /evidence/);
    assert.match(invalid({ ...reject, evidenceFileIds: undefined })!.message, /evidence/);
    assert.equal(invalid({ ...reject, evidenceFileIds: ['not-a-hash'] })?.type, 'InvalidDecision');
    assert.equal(invalid({ ...reject, decidedBy: '' })?.type, 'InvalidDecision');
    assert.equal(invalid({ decidedBy: 'x', decision: 'approve', rejectReason: 'r' })?.type, 'InvalidDecision');
    const refund = { ...pending, action: 'SELLER_RESPOND_REFUND' };
    assert.match(
      invalid({ decidedBy: 'x', decision: 'approve', buyerKeepItem: true }, refund)!.message,
      /buyerKeepItem/,
    );
    assert.equal(
      invalid({ decidedBy: 'x', decision: 'approve' }, { ...pending, action: 'SELLER_RESPOND_CANCEL' })?.type,
      'InvalidDecision',
    );
  });
});

describe('escalationPlan', () => {
  test('the offsets and the critical page, earliest first; critical wins on the same offset', () => {
    const plan = escalationPlan(48 * HOUR, {
      escalations: [
        { beforeDeadline: '6h', severity: 'warning' },
        { beforeDeadline: '24h', severity: 'warning' },
        { beforeDeadline: '60m', severity: 'warning' },
      ],
      criticalBeforeDeadline: '1h',
    });
    assert.deepEqual(
      plan.map((e) => [e.fireAt / HOUR, e.severity]),
      [
        [24, 'warning'],
        [42, 'warning'],
        [47, 'critical'],
      ],
    );
  });
});

describe('returnPhase', () => {
  test('open, rejected (waiting for a possible arbitration), arbitration, closed', () => {
    assert.equal(returnPhase('RETURN_OR_REFUND_REQUEST_PENDING'), 'open');
    assert.equal(returnPhase('AWAITING_BUYER_SHIP'), 'open');
    assert.equal(returnPhase('BUYER_SHIPPED_ITEM'), 'open');
    assert.equal(returnPhase('REFUND_OR_RETURN_REQUEST_REJECT'), 'rejected');
    assert.equal(returnPhase('REFUND_OR_RETURN_REQUEST_REJECT', 'IN_PROGRESS'), 'arbitration');
    assert.equal(returnPhase('REFUND_OR_RETURN_REQUEST_REJECT', 'SUPPORT_SELLER'), 'closed');
    assert.equal(returnPhase('RETURN_OR_REFUND_REQUEST_SUCCESS'), 'closed');
    assert.equal(returnPhase('RETURN_OR_REFUND_REQUEST_CANCEL'), 'closed');
    assert.equal(returnPhase('REPLACEMENT_REQUEST_COMPLETE'), 'closed');
  });
});
