// The return workflow's messages: its input and result, the status signal the webhooks and the reconciliation send,
// the decision update people send (through the API, the human-step route or the CLI), the query the API reads, and
// their shapes. No buyer details travel in these: ids, statuses, reasons, amounts and deadlines only.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EvidenceBundleRef } from '../shared/evidence';

export interface ReturnRequestInput {
  shopId: string;
  returnId: string;
}

/** The return as the read activity reduces it (Search Returns by id); ids, statuses and amounts only. */
export interface ReturnSnapshot {
  returnId: string;
  orderId: string;
  /** The shop's TikTok region (for ShopRegion and the policy rows). */
  region: string;
  type?: string;
  status: string;
  reason?: string;
  refund?: { amount: string; currency: string };
  arbitrationStatus?: string;
  /** The seller action TikTok waits for (`seller_next_action_response[0]`), its deadline ISO. */
  nextAction?: { action: string; deadline: string; deadlineSource: 'tiktok' | 'policy' };
  /** How long a rejected request may still be escalated by the buyer (policy/returnRows.ts). */
  buyerEscalationWindowMs: number;
}

/** TikTok's RETURN_STATUS_CHANGE webhook (or a reconciliation pass): the return is read back unless nothing is new. */
export interface ReturnStatusChanged {
  status: string;
  updateTime: number;
}

/**
 * A person's decision on the seller action pending now (human-step convention: `decidedBy` first, set by the API from
 * the caller's key). A rejection names a reason from Get Reject Reasons and at least one evidence file (uploaded
 * through POST /v1/shops/:shopId/files); `buyerKeepItem` approves a return as a returnless refund.
 */
export interface ReturnDecisionInput {
  decidedBy: string;
  decision: 'approve' | 'reject';
  rejectReason?: string;
  comment?: string;
  evidenceFileIds?: string[];
  buyerKeepItem?: boolean;
}

/**
 * What an accepted decision led to: sent to TikTok (`approved`, `rejected`), or not sent because the request it was
 * about was no longer pending when it came to be sent (`withdrawn`: the buyer cancelled or TikTok moved the return on;
 * `superseded`: TikTok refused it as out of date, e.g. 25001044, and a re-read shows why). Every accepted decision gets
 * one of these, so a caller never waits forever.
 */
export interface ReturnDecisionResult {
  outcome: 'approved' | 'rejected' | 'withdrawn' | 'superseded';
  /** The seller action the decision answered (SELLER_RESPOND_REFUND, …). */
  action: string;
  /** TikTok's decision value sent (APPROVE_REFUND, REJECT_RETURN, …), when one was sent. */
  tiktokDecision?: string;
  /** Why it was not applied (withdrawn, superseded). */
  reason?: string;
  /** The return's status after the decision. */
  status: string;
}

/** How a seller action ended: decided by the shop's rule, by a person, or by TikTok at the deadline. */
export type DecisionChannel = 'auto' | 'person' | 'platform';

export interface ReturnDecisionRecord {
  action: string;
  deadline?: string;
  openedAt: string;
  decidedAt?: string;
  channel?: DecisionChannel;
  decidedBy?: string;
  decision?: string;
  outcome: 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'superseded' | 'auto_approved_by_platform';
}

/** The return as the workflow sees it (the getReturn query, GET /v1/shops/:shopId/returns/:returnId). */
export interface ReturnView {
  shopId: string;
  returnId: string;
  orderId?: string;
  type?: string;
  status: string;
  reason?: string;
  refund?: { amount: string; currency: string };
  arbitrationStatus?: string;
  risk: 'on_track' | 'at_risk' | 'late' | 'done';
  /** The seller action waiting for a decision now, with what a decision may be. */
  pending?: {
    action: string;
    deadline?: string;
    allowedDecisions: ('approve' | 'reject')[];
    rejectReasons: { name: string; text?: string }[];
    /** A person decides (a human step is open); false while the shop's rule or the send is under way. */
    awaitingPerson: boolean;
  };
  escalated: string[];
  decisions: ReturnDecisionRecord[];
  /** Evidence bundles built for the case (after a person's rejection: workflows/shared/evidence.ts). */
  bundles?: EvidenceBundleRef[];
}

export interface ReturnOutcome {
  status: string;
  arbitrationStatus?: string;
  decisions: ReturnDecisionRecord[];
}

export const returnStatusChangedSignal = defineSignal<[ReturnStatusChanged]>('returnStatusChanged');
export const decideReturnUpdate = defineUpdate<ReturnDecisionResult, [ReturnDecisionInput]>('decideReturn');
export const getReturnQuery = defineQuery<ReturnView>('getReturn');

/** The update name, for the human-step record (its decision route runs the update by name). */
export const DECIDE_RETURN_UPDATE = 'decideReturn';

/**
 * JSON Schema of the decideReturn input without `decidedBy` (the API sets it), stored on the human step so a person
 * or a tool knows what to send. The workflow's validator is the one that decides (allowed decisions, reasons, evidence).
 */
export const DECIDE_RETURN_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: { type: 'string', enum: ['approve', 'reject'] },
    rejectReason: {
      type: 'string',
      description: 'A reason name from Get Reject Reasons (the step context lists them)',
    },
    comment: { type: 'string', maxLength: 500 },
    evidenceFileIds: {
      type: 'array',
      items: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      description: 'Files uploaded through POST /v1/shops/{shopId}/files; at least one for a rejection',
    },
    buyerKeepItem: { type: 'boolean', description: 'Approve a return as a returnless refund' },
  },
} as const;
