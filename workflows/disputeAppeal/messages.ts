// The disputeAppeal workflow's messages: its input (a decided after-sale dispute or arbitration) and, shared with the
// chargeback (workflows/shared/disputeMessages.ts), the submission and outcome updates, the case query and their shapes.
export {
  getDisputeCaseQuery,
  recordOutcomeUpdate,
  recordSubmissionUpdate,
  RECORD_OUTCOME_UPDATE,
  RECORD_SUBMISSION_UPDATE,
  type DisputeCaseView,
  type OutcomeInput,
  type SubmissionInput,
} from '../shared/disputeMessages';
export type { DisputeCaseResult } from '../shared/disputeCase';

/** A decided dispute the seller may appeal (Seller Center > Orders > Manage Returns > Appealed/Disputed). */
export interface DisputeAppealInput {
  shopId: string;
  disputeId: string;
  /** A return/refund dispute or a platform arbitration. */
  disputeType: 'return_refund' | 'arbitration';
  orderId: string;
  returnId?: string;
  /** TikTok's decision as it reads (e.g. "Refund the buyer in full"). */
  decision: string;
  /** ISO: when TikTok decided; the appeal is due 21 days later (policy/disputeRows.ts). */
  decidedAt: string;
  /** What the decision costs the seller, when known. */
  amount?: string;
  currency?: string;
  openedBy: string;
}
