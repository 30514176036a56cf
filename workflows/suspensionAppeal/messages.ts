// The suspensionAppeal workflow's messages (issue 18): its input (the notice as entered), the three human-step updates
// a person sends — approve or edit the drafted Plan of Action, record the submission in Seller Center, record TikTok's
// decision — the query the API reads, and the JSON Schemas stored on the steps. No buyer data: ids, dates, stages.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AppealEligibility, AppealEvidenceRef, PlanOfAction, SuspensionNotice } from '../../appeal/model';
import type { SubmissionInput } from '../shared/disputeMessages';
import type { CaseRiskLevel } from '../shared/searchAttributes';

export type { AppealEvidenceRef, PlanChange, PlanOfAction, SuspensionNotice } from '../../appeal/model';

export interface SuspensionAppealInput {
  shopId: string;
  notice: SuspensionNotice;
  /** Who opened it (the API key, as a decision's decidedBy). */
  openedBy: string;
}

/** Where an appeal stands (its CaseStage). `approved` / `denied`: TikTok's last decision. */
export type AppealStage =
  | 'assessing'
  | 'refused'
  | 'drafting'
  | 'awaiting_review'
  | 'awaiting_submission'
  | 'submitted'
  | 'approved'
  | 'denied'
  | 'expired';

/** Why the product does not appeal this notice and where the seller goes instead (appeal/eligibility.ts). */
export type AppealRefusal = Pick<AppealEligibility, 'category' | 'explanation' | 'whereToGo' | 'rule'>;

/** The appeal window of the current round: when TikTok stops taking it, and where that comes from. */
export interface AppealWindow {
  closesAt: string;
  /** `notice`: the deadline written on the ticket; `policy`: the row (policy/appealRows.ts); `denial`: round 2. */
  from: 'notice' | 'policy' | 'denial';
  source: string;
  /** The row is not an official value for the region (shown as unverified). */
  uncertain: boolean;
}

/** One stored version of the Plan of Action (its plan is in suspension_appeal_versions: GET …/versions). */
export interface AppealVersionRef {
  version: number;
  round: number;
  kind: 'draft' | 'edit' | 'revision';
  createdBy: string;
  createdAt: string;
  fileId: string;
  sha256: string;
  pageCount: number;
  note?: string;
}

/** reviewAppealPlan: approve the current version, or store an edited plan as the next version (then approve it). */
export interface ReviewInput {
  decidedBy: string;
  action: 'approve' | 'edit';
  /** The whole edited plan (action `edit` only): the draft's sections and fields, validated. */
  plan?: PlanOfAction;
  /** The version the person looked at: refused when a newer one exists (someone else edited in between). */
  version?: number;
  note?: string;
}

/** recordAppealSubmission: the person submitted the approved plan in Seller Center (TikTok has no appeal API). */
export type AppealSubmissionInput = SubmissionInput;

/** recordAppealDecision: TikTok's answer to the appeal; a denial's reason drives the one revised appeal. */
export interface AppealDecisionInput {
  decidedBy: string;
  decision: 'approved' | 'denied';
  /** Required for `denied`: TikTok's reason as it reads. */
  reason?: string;
  note?: string;
}

export interface SuspensionAppealView {
  shopId: string;
  noticeId: string;
  notice: SuspensionNotice;
  openedBy: string;
  stage: AppealStage;
  risk: CaseRiskLevel;
  /** 1, or 2 for the one revised appeal after a denial. */
  round: number;
  refusal?: AppealRefusal;
  window?: AppealWindow;
  evidence?: AppealEvidenceRef;
  versions: AppealVersionRef[];
  currentVersion?: number;
  /** The version approved in this round (submitted in Seller Center). */
  approvedVersion?: number;
  reviewDueAt?: string;
  /** Round 2: what the revised appeal states changed since the first (its plan's `changedSinceFirst`). */
  changedSinceFirst?: string;
  /** Round 2: the same, one statement per change (new corrective actions, each metric now against the notice). */
  changesSinceFirst?: string[];
  /** Human steps opened: step key → step id (GET /v1/human-steps/:id). */
  steps: Record<string, string>;
  /** Reminders already sent (`submit:<round>:<offset>`, `decision:<round>`). */
  reminded: string[];
  submissions: { round: number; version: number; submittedAt: string; decidedBy: string; reference?: string }[];
  decisions: { round: number; decision: 'approved' | 'denied'; reason?: string; decidedBy: string; at: string }[];
  /** Which step's deadline passed with nothing done (`review` or `submit`), and when. */
  expired?: { step: 'review' | 'submit'; at: string };
}

export interface SuspensionAppealResult {
  stage: AppealStage;
  round: number;
  refusal?: AppealRefusal;
  approvedVersion?: number;
  decision?: 'approved' | 'denied';
  versions: number;
}

export const REVIEW_APPEAL_PLAN_UPDATE = 'reviewAppealPlan';
export const RECORD_APPEAL_SUBMISSION_UPDATE = 'recordAppealSubmission';
export const RECORD_APPEAL_DECISION_UPDATE = 'recordAppealDecision';

export const reviewAppealPlanUpdate = defineUpdate<SuspensionAppealView, [ReviewInput]>(REVIEW_APPEAL_PLAN_UPDATE);
export const recordAppealSubmissionUpdate = defineUpdate<SuspensionAppealView, [AppealSubmissionInput]>(
  RECORD_APPEAL_SUBMISSION_UPDATE,
);
export const recordAppealDecisionUpdate = defineUpdate<SuspensionAppealView, [AppealDecisionInput]>(
  RECORD_APPEAL_DECISION_UPDATE,
);
export const getSuspensionAppealQuery = defineQuery<SuspensionAppealView>('getSuspensionAppeal');

/** JSON Schema of reviewAppealPlan without `decidedBy` (the API sets it), stored on the `review:<round>` step. */
export const REVIEW_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { type: 'string', enum: ['approve', 'edit'] },
    plan: {
      type: 'object',
      description:
        'action edit: the whole plan (GET …/versions shows the current one), with the same sections and fields',
    },
    version: { type: 'integer', minimum: 1, description: 'The version reviewed; refused if a newer one exists' },
    note: { type: 'string', maxLength: 1000 },
  },
} as const;

/** recordAppealSubmission's JSON Schema is the dispute submission's (same fields), on the `submit:<round>` step. */
export { SUBMISSION_INPUT_SCHEMA as APPEAL_SUBMISSION_INPUT_SCHEMA } from '../shared/disputeMessages';

/** JSON Schema of recordAppealDecision without `decidedBy`, stored on the `decision:<round>` step. */
export const APPEAL_DECISION_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: { type: 'string', enum: ['approved', 'denied'] },
    reason: { type: 'string', maxLength: 1000, description: "Required for denied: TikTok's reason as it reads" },
    note: { type: 'string', maxLength: 1000 },
  },
} as const;
