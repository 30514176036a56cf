// The messages of the two dispute processes (chargeback, disputeAppeal): one shape of case, the two human-step updates
// a person sends (the submission in Seller Center, then the outcome) and the query the API reads. Declared once and
// re-exported by each process's messages.ts. No buyer details: ids, amounts, dates, stages.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseRiskLevel } from './searchAttributes';
import type { CarrierTrackingSummary, EvidenceBundleRef } from './evidence';

export type DisputeCaseKind = 'chargeback' | 'dispute_appeal';

/** Where a dispute case stands (its CaseStage). */
export type DisputeStage =
  'gathering_evidence' | 'awaiting_submission' | 'submitted' | 'expired' | 'won' | 'lost' | 'partially_won';

export type DisputeOutcome = 'won' | 'lost' | 'partially_won';

/** recordSubmission: the person submitted the evidence in Seller Center (TikTok has no API for it). */
export interface SubmissionInput {
  decidedBy: string;
  /** When it was submitted (ISO); default: when the update arrives. */
  submittedAt?: string;
  /** Seller Center's reference of the submission, if it shows one. */
  reference?: string;
  note?: string;
}

/** recordOutcome: what TikTok (or the card network) decided after the submission. */
export interface OutcomeInput {
  decidedBy: string;
  outcome: DisputeOutcome;
  /** Decimal string in the case's currency; `won` defaults to the whole amount at stake. */
  amountRecovered?: string;
  note?: string;
}

/** One case as its workflow sees it (the getDisputeCase query; GET /v1/shops/:shopId/chargebacks/:id, …/dispute-appeals/:id). */
export interface DisputeCaseView {
  shopId: string;
  caseKind: DisputeCaseKind;
  caseId: string;
  orderId: string;
  returnId?: string;
  reason?: string;
  amount?: { amount: string; currency: string };
  /** ISO: the notice's date (chargeback), the decision's time (appeal). */
  openedFrom: string;
  /** ISO: when the evidence is due in Seller Center. */
  deadline: string;
  /** Where the deadline comes from: the notice, or the policy row (its source). */
  deadlineSource: string;
  openedBy: string;
  stage: DisputeStage;
  risk: CaseRiskLevel;
  tracking?: CarrierTrackingSummary;
  /** Why there is no carrier history (no tracking number yet, the tracker failed). */
  trackingNote?: string;
  bundles: EvidenceBundleRef[];
  /** Why the bundle could not be built (the step opens anyway). */
  bundleError?: string;
  /** Human steps opened for the case: step key → step id (GET /v1/human-steps/:id). */
  steps: Record<string, string>;
  /** Reminder offsets already sent (`submit:<beforeDeadline>`, `outcome`). */
  reminded: string[];
  submission?: { submittedAt: string; decidedBy: string; reference?: string; note?: string; recordedAt: string };
  outcome?: {
    outcome: DisputeOutcome | 'expired';
    amountRecovered?: string;
    decidedBy: string;
    note?: string;
    at: string;
  };
  details: Record<string, unknown>;
}

export const RECORD_SUBMISSION_UPDATE = 'recordSubmission';
export const RECORD_OUTCOME_UPDATE = 'recordOutcome';

export const recordSubmissionUpdate = defineUpdate<DisputeCaseView, [SubmissionInput]>(RECORD_SUBMISSION_UPDATE);
export const recordOutcomeUpdate = defineUpdate<DisputeCaseView, [OutcomeInput]>(RECORD_OUTCOME_UPDATE);
export const getDisputeCaseQuery = defineQuery<DisputeCaseView>('getDisputeCase');

/** JSON Schema of recordSubmission without `decidedBy` (the API sets it), stored on the `submit` human step. */
export const SUBMISSION_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    submittedAt: { type: 'string', format: 'date-time', description: 'When it was submitted; default now' },
    reference: { type: 'string', maxLength: 200, description: "Seller Center's reference, if any" },
    note: { type: 'string', maxLength: 1000 },
  },
} as const;

/** JSON Schema of recordOutcome without `decidedBy`, stored on the `outcome` human step. */
export const OUTCOME_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['outcome'],
  properties: {
    outcome: { type: 'string', enum: ['won', 'lost', 'partially_won'] },
    amountRecovered: {
      type: 'string',
      pattern: '^\\d+(\\.\\d{1,2})?$',
      description: 'In the case currency; required for partially_won, default the whole amount for won',
    },
    note: { type: 'string', maxLength: 1000 },
  },
} as const;
