// The categoryUngating workflow's messages (issue 19 item 3): its input and result, the product-audit signal the
// type-37 webhooks are routed to (through our product → category mapping: temporal/categoryUngating.ts), the three
// human-step updates (documents, submission, decision) and the query the API reads. Ids, statuses, reasons and dates
// only: the documents themselves stay in the vault and the file store.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export interface CategoryUngatingInput {
  shopId: string;
  /** TikTok's category id (Get Categories). */
  categoryId: string;
  /**
   * The category's requirement row in policy/categoryRequirements.ts (`dietary_supplements`, …): what the application
   * needs while Get Category Rules refuses the gated category. Default: `categoryId` itself.
   */
  requirementKey?: string;
  /** Documents the operator adds to the row's (document types of policy/certificateRules.ts). */
  extraDocumentTypes?: string[];
  /** Document types of the row that do not apply to this shop's products (the row's conditional ones). */
  notApplicable?: string[];
  /** Who started it (the API key's name). */
  requestedBy?: string;
  /** Set by the workflow's own continue-as-new: the re-qualification before documents expire. */
  requalification?: { round: number; previousApplicationId: string; earliestExpiry: string };
}

/** A type-37 product audit event (PRODUCT_AUDIT_STATUS_CHANGE), reduced to what the workflow needs. */
export interface ProductAuditEvent {
  productId: string;
  /** TikTok's audit status: AUDITING, PRE_APPROVED, APPROVED, FAILED. */
  status: string;
  /** `pre_approved_reasons` (RESTRICTED_CATEGORY_PENDING) or the failure reasons. */
  reasons?: string[];
  /** ISO 8601, when TikTok sent it. */
  at: string;
}

/** A person names vault documents for the application (human step `documents:<attempt>` or `fix:<attempt>`). */
export interface ProvideDocumentsInput {
  decidedBy: string;
  /** Certificate ids of the shop's vault (POST /v1/shops/:shopId/certificates). */
  certificateIds: string[];
  /** Conditional document types that do not apply to the shop's products (policy/categoryRequirements.ts). */
  notApplicable?: string[];
  note?: string;
}

/** What the vault check found: each required type with its document, and what is still missing. */
export interface UngatingDocumentCheck {
  satisfied: { documentType: string; certificateId: string; expiresOn?: string }[];
  missing: { documentType: string; why: string; reason: 'absent' | 'expired'; expiredOn?: string }[];
}

/** The person's answer to the submit step: the packet was submitted in Seller Center's Qualification Center. */
export interface RecordSubmissionInput {
  decidedBy: string;
  /** The application's reference in Seller Center, when it shows one. */
  reference?: string;
  note?: string;
}

/** TikTok's decision as a person read it in Seller Center (the audit webhooks decide too). */
export interface RecordDecisionInput {
  decidedBy: string;
  decision: 'approved' | 'rejected';
  /** Why TikTok rejected it, in its words (at least one for a rejection). */
  reasons?: string[];
}

export type UngatingStage =
  | 'checking'
  | 'awaiting_documents'
  | 'building_packet'
  | 'awaiting_submission'
  | 'awaiting_decision'
  | 'fixing'
  | 'attaching_certifications'
  | 'following_audit'
  | 'qualified'
  | 'closed';

export type UngatingOutcome =
  /** Approved, certifications attached; re-qualifies before the earliest document expires (continue-as-new). */
  | 'qualified'
  /** Rejected as many times as the shop allows (`ungating.maxAttempts`). */
  | 'rejected'
  /** A step's deadline passed with nothing done (documents, submission or decision). */
  | 'expired';

/** One application attempt as kept in history and in 034's table (bounded: `ungating.maxAttempts`). */
export interface UngatingAttempt {
  attempt: number;
  packetFileId?: string;
  submittedAt?: string;
  submittedBy?: string;
  reference?: string;
  decision?: 'approved' | 'rejected';
  decidedAt?: string;
  /** Who decided: a person's key name, or `TikTok audit` when the audit webhooks did. */
  decidedBy?: string;
  reasons?: string[];
}

/** The application as the workflow sees it (query getCategoryUngating, GET …/ungating/:categoryId). */
export interface CategoryUngatingView {
  shopId: string;
  categoryId: string;
  applicationId: string;
  round: number;
  stage: UngatingStage;
  permission?: string;
  gated?: boolean;
  requiredDocumentTypes: string[];
  check?: UngatingDocumentCheck;
  attempts: UngatingAttempt[];
  /** The human step open now, with its due time. */
  waitingFor?: { stepKey: string; updateName: string; dueAt: string };
  products: { productId: string; auditStatus: string; reasons?: string[] }[];
  earliestExpiry?: string;
  requalifyAt?: string;
  outcome?: UngatingOutcome;
}

export interface CategoryUngatingResult {
  outcome: UngatingOutcome;
  applicationId: string;
  attempts: number;
}

export const productAuditSignal = defineSignal<[ProductAuditEvent]>('productAudit');
export const provideDocumentsUpdate = defineUpdate<UngatingDocumentCheck, [ProvideDocumentsInput]>('provideDocuments');
export const recordSubmissionUpdate = defineUpdate<UngatingAttempt, [RecordSubmissionInput]>('recordSubmission');
export const recordDecisionUpdate = defineUpdate<UngatingAttempt, [RecordDecisionInput]>('recordDecision');
export const getCategoryUngatingQuery = defineQuery<CategoryUngatingView>('getCategoryUngating');

/** Update names, for the human-step records (their decision route runs the update by name). */
export const PROVIDE_DOCUMENTS_UPDATE = 'provideDocuments';
export const RECORD_SUBMISSION_UPDATE = 'recordSubmission';
export const RECORD_DECISION_UPDATE = 'recordDecision';

/** JSON Schemas of the update bodies without `decidedBy` (the API sets it); the validators decide. */
export const PROVIDE_DOCUMENTS_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['certificateIds'],
  properties: {
    certificateIds: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', format: 'uuid' },
      description: 'Vault documents (POST /v1/shops/{shopId}/certificates) for the missing types',
    },
    notApplicable: { type: 'array', items: { type: 'string' }, description: 'Conditional types that do not apply' },
    note: { type: 'string', maxLength: 500 },
  },
} as const;

export const RECORD_SUBMISSION_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reference: { type: 'string', maxLength: 100, description: 'The application reference Seller Center shows' },
    note: { type: 'string', maxLength: 500 },
  },
} as const;

export const RECORD_DECISION_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: { type: 'string', enum: ['approved', 'rejected'] },
    reasons: {
      type: 'array',
      items: { type: 'string', maxLength: 500 },
      maxItems: 20,
      description: 'TikTok’s rejection reasons (at least one for a rejection)',
    },
  },
} as const;
