// The chargeback workflow's messages: its input (the notice as the seller received it) and, shared with the appeal
// (workflows/shared/disputeMessages.ts), the submission and outcome updates, the case query and their shapes.
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

/**
 * A chargeback notice (TikTok's email / Seller Center message: there is no API for it). The deadline is the one the
 * notice states (TikTok's Chargeback Policy, 2025-01-22: "within the timeframe specified in the email").
 */
export interface ChargebackInput {
  shopId: string;
  chargebackId: string;
  orderId: string;
  /** The reason as the notice states it (e.g. "Item not received"). */
  reason: string;
  /** The amount disputed, a decimal string, and its ISO 4217 currency. */
  amount: string;
  currency: string;
  /** ISO: when the notice was sent. */
  noticeDate: string;
  /** ISO: the response deadline written in the notice. */
  responseDeadline: string;
  issuer?: string;
  network?: string;
  /** Who opened the case (the API key's `decidedBy` form). */
  openedBy: string;
}
