// Pure rules of a return decision (no I/O; unit-tested in test/unit/returnRequestDecision.test.ts): which decisions a
// pending seller action allows and the TikTok `decision` value each becomes (integrations/tiktok/returns.ts, Approve
// Return / Reject Return), whether the shop's auto-approve applies, whether a person's decision is acceptable, and when
// the escalations before TikTok's deadline fire.
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { DEADLINE_PASSED, INVALID_DECISION } from '../shared/failureTypes';

/**
 * The seller actions of `seller_next_action_response[].action` (ref §8, Search Returns (docs/tiktok-shop-api-sources.md)) and the
 * Approve / Reject Return `decision` each is answered with.
 */
export const SELLER_ACTION_DECISIONS = {
  SELLER_RESPOND_REFUND: { approve: 'APPROVE_REFUND', reject: 'REJECT_REFUND' },
  SELLER_RESPOND_RETURN: { approve: 'APPROVE_RETURN', reject: 'REJECT_RETURN' },
  SELLER_RESPOND_RECEIVE_PACKAGE: { approve: 'APPROVE_RECEIVED_PACKAGE', reject: 'REJECT_RECEIVED_PACKAGE' },
  SELLER_RESPOND_REPLACEMENT: { approve: 'APPROVE_REPLACEMENT', reject: 'REJECT_REPLACEMENT' },
} as const;
export type SellerAction = keyof typeof SELLER_ACTION_DECISIONS;
export type DecisionKind = 'approve' | 'reject';

export const isSellerAction = (action: string): action is SellerAction =>
  Object.prototype.hasOwnProperty.call(SELLER_ACTION_DECISIONS, action);

/** The decisions a pending action allows (none for an action we do not know: it is left to a person in Seller Center). */
export function allowedDecisions(action: string): DecisionKind[] {
  return isSellerAction(action) ? ['approve', 'reject'] : [];
}

/** The TikTok `decision` value of approving or rejecting `action`. */
export function tiktokDecision(action: SellerAction, decision: DecisionKind): string {
  return SELLER_ACTION_DECISIONS[action][decision];
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Compares two non-negative decimal strings ('12.5', '12.50', '3') exactly, without floats: -1, 0 or 1. Undefined when
 * either is not a plain decimal (then nothing is auto-approved).
 */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = DECIMAL.exec(a.trim());
  const y = DECIMAL.exec(b.trim());
  if (!x || !y) return undefined;
  const scale = Math.max(x[2]?.length ?? 0, y[2]?.length ?? 0);
  const digits = (m: RegExpExecArray) => (m[1]! + (m[2] ?? '').padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  const da = digits(x);
  const db = digits(y);
  if (da.length !== db.length) return da.length < db.length ? -1 : 1;
  return da === db ? 0 : da < db ? -1 : 1;
}

/** The shop's auto-approve setting (shopSettings/schema.ts, `returns.autoApprove`). */
export interface AutoApproveSetting {
  enabled: boolean;
  maxRefund: { amount: string; currency: string };
  reasons: string[];
  types: string[];
}

/** What of the return the rule looks at. */
export interface AutoApproveCandidate {
  action: string;
  type?: string;
  reason?: string;
  refund?: { amount: string; currency: string };
}

/**
 * Whether the shop's rule approves this request without a person: only a refund-only request (type listed, the
 * SELLER_RESPOND_REFUND action), a refund total at or under the limit in the same currency, and a reason the shop
 * lists. `why` says which condition failed (it goes on the human step's context).
 */
export function autoApproval(rule: AutoApproveSetting, c: AutoApproveCandidate): { applies: boolean; why: string } {
  const no = (why: string) => ({ applies: false, why });
  if (!rule.enabled) return no('auto-approve is off for this shop');
  if (c.action !== 'SELLER_RESPOND_REFUND' || !c.type || !rule.types.includes(c.type))
    return no(`a ${c.type ?? 'unknown'} request (${c.action}) is not auto-approved`);
  if (!c.refund) return no('TikTok states no refund amount');
  if (c.refund.currency !== rule.maxRefund.currency)
    return no(`refund in ${c.refund.currency}, the limit is in ${rule.maxRefund.currency}`);
  const cmp = compareDecimal(c.refund.amount, rule.maxRefund.amount);
  if (cmp === undefined) return no(`refund amount ${c.refund.amount} is not a decimal`);
  if (cmp > 0) return no(`refund ${c.refund.amount} is over the limit ${rule.maxRefund.amount}`);
  if (!c.reason || !rule.reasons.includes(c.reason)) return no(`reason ${c.reason ?? 'none'} is not auto-approved`);
  return { applies: true, why: `refund ${c.refund.amount} ${c.refund.currency} ≤ ${rule.maxRefund.amount}` };
}

export interface PendingAction {
  action: string;
  /** TikTok's deadline, ms since the epoch; undefined when TikTok states none. */
  deadlineMs?: number;
  rejectReasons: { name: string }[];
}

export interface DecisionInput {
  decidedBy?: unknown;
  decision?: unknown;
  rejectReason?: unknown;
  comment?: unknown;
  evidenceFileIds?: unknown;
  buyerKeepItem?: unknown;
}

/** Why a decision is refused (`type`: InvalidDecision or DeadlinePassed), or undefined when it may be sent. */
export function refuseDecision(
  input: DecisionInput | undefined,
  pending: PendingAction | undefined,
  nowMs: number,
): { type: string; message: string } | undefined {
  const invalid = (message: string) => ({ type: INVALID_DECISION, message });
  if (!pending) return invalid('no seller action is waiting for a decision on this return');
  if (pending.deadlineMs !== undefined && nowMs >= pending.deadlineMs)
    return {
      type: DEADLINE_PASSED,
      message: `the deadline ${new Date(pending.deadlineMs).toISOString()} has passed: TikTok decides this request itself`,
    };
  if (!input || typeof input !== 'object') return invalid('the decision must be an object');
  if (typeof input.decidedBy !== 'string' || input.decidedBy.length === 0) return invalid('decidedBy is required');
  const allowed = allowedDecisions(pending.action);
  if (input.decision !== 'approve' && input.decision !== 'reject') return invalid('decision must be approve or reject');
  if (!allowed.includes(input.decision))
    return invalid(`${pending.action} cannot be answered with ${String(input.decision)}`);
  if (input.comment !== undefined && (typeof input.comment !== 'string' || input.comment.length > 500))
    return invalid('comment must be a string of at most 500 characters');
  const files = input.evidenceFileIds;
  if (
    files !== undefined &&
    (!Array.isArray(files) || files.some((f) => typeof f !== 'string' || !/^[0-9a-f]{64}$/.test(f)))
  )
    return invalid('evidenceFileIds must be file ids (sha256 hex) from the file store');
  if (input.buyerKeepItem !== undefined && typeof input.buyerKeepItem !== 'boolean')
    return invalid('buyerKeepItem must be true or false');
  if (input.decision === 'approve') {
    if (input.rejectReason !== undefined) return invalid('an approval takes no reject reason');
    if (input.buyerKeepItem && pending.action !== 'SELLER_RESPOND_RETURN')
      return invalid('buyerKeepItem applies to approving a return (SELLER_RESPOND_RETURN) only');
    return undefined;
  }
  if (typeof input.rejectReason !== 'string' || !pending.rejectReasons.some((r) => r.name === input.rejectReason))
    return invalid(
      `rejectReason must be one of TikTok's reasons for this request: ${pending.rejectReasons.map((r) => r.name).join(', ') || 'none offered'}`,
    );
  if (!Array.isArray(files) || files.length === 0)
    return invalid('a rejection needs evidence: at least one evidenceFileIds entry (upload images first)');
  if (files.length > 9) return invalid('at most 9 evidence images');
  return undefined;
}

/** The shop's escalation settings (shopSettings/schema.ts, `returns`). */
export interface EscalationSetting {
  escalations: { beforeDeadline: string; severity: 'warning' | 'critical' }[];
  criticalBeforeDeadline: string;
}

export interface Escalation {
  /** The offset as the settings say it ('24h'); also the key that marks it fired. */
  beforeDeadline: string;
  fireAt: number;
  severity: 'warning' | 'critical';
}

/**
 * When the escalations fire for a decision due at `deadlineMs`: each configured offset, and the critical page
 * `criticalBeforeDeadline` before it (critical wins where both name the same offset). Earliest first.
 */
export function escalationPlan(deadlineMs: number, s: EscalationSetting): Escalation[] {
  const byOffset = new Map<number, Escalation>();
  const add = (beforeDeadline: string, severity: Escalation['severity']) => {
    const offset = msToNumber(beforeDeadline as Duration);
    const known = byOffset.get(offset);
    if (known?.severity === 'critical') return;
    byOffset.set(offset, { beforeDeadline, fireAt: deadlineMs - offset, severity });
  };
  for (const e of s.escalations) add(e.beforeDeadline, e.severity);
  add(s.criticalBeforeDeadline, 'critical');
  return [...byOffset.values()].sort((a, b) => a.fireAt - b.fireAt);
}
