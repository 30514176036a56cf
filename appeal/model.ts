/**
 * What a suspension appeal says (issue 18): the notice as a person copies it from Seller Center, whether the product
 * may appeal it (appeal/eligibility.ts), the evidence from the shop's own records (appeal/evidence.ts) and the Plan of
 * Action drafted from it (appeal/planOfAction.ts). There is no appeal API: a person submits in Seller Center
 * (docs/tiktok-shop-api-sources.md §8). Plain data, no imports with effects: safe in workflow code and in history.
 */
import type { MetricKey } from '../accountHealth/model';

/** A suspension (or violation) notice from Seller Center, entered by a person. */
export interface SuspensionNotice {
  /** The violation ticket's id in Seller Center ("Violation Records"). */
  noticeId: string;
  /** The notice's reason as written. */
  reason: string;
  /** When the notice was issued: an ISO date (YYYY-MM-DD, read as the end of that day, UTC) or date-time. */
  noticeDate: string;
  region: string;
  /** The policy the notice names, e.g. "late_dispatch_rate", "counterfeit", "prohibited_product". */
  violatedPolicy: string;
  /** The metrics TikTok quoted, as rates (0.12 for 12%), keyed as accountHealth's metrics ("ldr", "vtr", "sfcr"). */
  quotedMetrics?: Record<string, number>;
  /** The appeal deadline written on the ticket, when it shows one: it wins over the policy row. */
  appealBy?: string;
}

/** What the notice is about, as appeal/eligibility.ts classifies it (rows in policy/appealRows.ts). */
export type AppealCategory =
  | 'late_dispatch'
  | 'valid_tracking'
  | 'seller_fault_cancellation'
  | 'counterfeit'
  | 'intellectual_property'
  | 'prohibited_product'
  | 'unrecognised';

/** The operational breaches an appeal can answer with the shop's records. */
export type BreachType = 'late_dispatch' | 'valid_tracking' | 'seller_fault_cancellation';

/** The account-health metric each breach type is judged by. */
export const BREACH_METRIC: Record<BreachType, MetricKey> = {
  late_dispatch: 'ldr',
  valid_tracking: 'vtr',
  seller_fault_cancellation: 'sfcr',
};

/** Where to go instead of an appeal this product can help with. */
export interface AppealReferral {
  name: string;
  url: string;
  what: string;
}

/** The appeal window as it applies to a notice: the ticket's own deadline, else the policy row's. */
export interface AppealWindow {
  /** ISO date-time: the first appeal must be filed by then. */
  appealBy: string;
  /** Days from the notice (the row's value; absent when the ticket's own deadline is used). */
  days?: number;
  /** Days after a denial of the first appeal for the one revised appeal. */
  secondAppealDays: number;
  from: 'notice' | 'policy';
  source: string;
  /** The row is not an official US value (shown as "unverified"). */
  uncertain: boolean;
}

export interface AppealEligibility {
  eligible: boolean;
  category: AppealCategory;
  /** The breaches the appeal answers (empty when refused). */
  breachTypes: BreachType[];
  /** Why it is accepted or refused, in words a seller reads. */
  explanation: string;
  /** Where to go instead (refusals), or where the appeal is filed (accepted). */
  whereToGo: AppealReferral[];
  window: AppealWindow;
  /** The policy row the decision rests on. */
  rule: { key: string; source: string };
}

/** Why an order was dispatched late, from our own event log (appeal/evidence.ts `lateDispatchCause`). */
export type LateDispatchCause =
  /** The order reached the warehouse outbox after its ready-to-ship deadline. */
  | 'warehouse_hand_off_late'
  /** Handed off in time; the warehouse marked it shipped after the ready-to-ship deadline, or never. */
  | 'warehouse_packing_late'
  /** Marked shipped in time; the carrier's first scan came after the dispatch deadline. */
  | 'carrier_pickup_late'
  /** Our records hold no hand-off or shipment time for it. */
  | 'unknown';

/** Why a cancellation counted against the seller (appeal/evidence.ts `cancellationCause`). */
export type CancellationCause = 'out_of_stock' | 'sla_auto_cancel' | 'pricing_error' | 'seller_other';

export interface LateDispatchRecord {
  orderId: string;
  paidAt: string | null;
  /** When the order was first written to the warehouse outbox (our hand-off). */
  handedToWarehouseAt: string | null;
  readyToShipBy: string | null;
  /** When the warehouse marked it shipped (our ready_to_ship fact). */
  markedShippedAt: string | null;
  /** The dispatch deadline: the carrier must scan it by then. */
  carrierScanBy: string;
  /** The carrier's first scan (TikTok's collection time). */
  carrierScanAt: string;
  hoursLate: number;
  cause: LateDispatchCause;
  /** Escalations raised on the order before or at the deadline (notifications), oldest first. */
  escalations: { kind: string; at: string }[];
  carrier: string | null;
}

export interface InvalidTrackingRecord {
  orderId: string;
  dispatchedAt: string;
  carrierScans: number;
  carrier: string | null;
  trackingStatus: string | null;
}

export interface CancellationRecord {
  orderId: string;
  paidAt: string | null;
  cancelledAt: string;
  initiator: string | null;
  reason: string | null;
  cause: CancellationCause;
}

/** One breached metric at the notice, as account health computes it (computeAccountHealth at the notice's time). */
export interface BreachEvidence {
  type: BreachType;
  metric: MetricKey;
  name: string;
  rate: number | null;
  numerator: number;
  denominator: number;
  windowDays: number;
  windowFrom: string;
  windowTo: string;
  /** The enforcement threshold (null: the region has none). */
  enforcementThreshold: number | null;
  recommendedThreshold: number | null;
  breached: 'none' | 'recommended' | 'enforcement';
  /** What TikTok quoted for it, when the notice did. */
  quoted: number | null;
  /** Orders behind the numerator, counted per cause (the counts add up to the numerator). */
  causes: { cause: LateDispatchCause | CancellationCause | 'too_few_scans'; orders: number }[];
}

/** Something that changed, dated from our own records. */
export interface AppealChange {
  at: string;
  kind: 'settings' | 'escalation' | 'feed';
  /** What changed, in words. */
  summary: string;
  /** Who changed it (settings), or what raised it. */
  by: string | null;
  /** Settings: the dotted paths that changed. */
  paths?: string[];
  /** Before the notice or after it. */
  afterNotice: boolean;
}

/** One day of account health around the notice (db/accountHealth.ts snapshots). */
export interface HealthDay {
  day: string;
  score: number;
  milestone: number | null;
  rates: Partial<Record<MetricKey, number | null>>;
}

/** Daily behaviour of the inventory feed (inventory_push_log), the days before and after the notice. */
export interface FeedDay {
  day: string;
  pushes: number;
  /** Pushes that took a SKU off sale (quantity 0 or deactivate). */
  deactivations: number;
  /** The slowest out-of-stock → confirmed delist of the day, in seconds (null: no such push was confirmed). */
  maxLagSeconds: number | null;
}

/** Who answers for each kind of control (shop settings `appealPlan.owners`). */
export interface AppealOwners {
  warehouse: string;
  shipping: string;
  inventory: string;
  operations: string;
}

/** Everything gathered for one notice: stored as JSON in the file store; workflows hold only its ref. */
export interface AppealEvidence {
  shopId: string;
  region: string;
  notice: SuspensionNotice;
  /** The time the metrics are computed at (the notice's). */
  asOf: string;
  /** The newest timestamp in the data: the PDF's creation date, so rebuilds are byte-identical. */
  dataAsOf: string;
  score: { value: number; milestone: number | null };
  history: HealthDay[];
  breaches: BreachEvidence[];
  lateDispatches: LateDispatchRecord[];
  invalidTracking: InvalidTrackingRecord[];
  cancellations: CancellationRecord[];
  changes: AppealChange[];
  feed: FeedDay[];
  owners: AppealOwners;
}

/** What gatherAppealEvidence returns: the stored file and counts, never the evidence itself. */
export interface AppealEvidenceRef {
  shopId: string;
  noticeId: string;
  /** The file store's id of the evidence JSON (the SHA-256 of its bytes). */
  fileId: string;
  sha256: string;
  dataAsOf: string;
  counts: {
    historyDays: number;
    breaches: number;
    lateDispatches: number;
    invalidTracking: number;
    cancellations: number;
    changes: number;
  };
}

export interface RootCause {
  breachType: BreachType;
  metric: MetricKey;
  /** The metric at the notice, as account health computed it. */
  rate: number | null;
  numerator: number;
  denominator: number;
  windowDays: number;
  threshold: number | null;
  quoted: number | null;
  /** Orders per cause, largest first (they add up to `numerator`). */
  causes: { cause: string; orders: number }[];
  /** A few of the orders behind it (the evidence tables list them all). */
  exampleOrderIds: string[];
  statement: string;
}

export interface CorrectiveAction {
  id: string;
  breachTypes: BreachType[];
  action: string;
  /** ISO date-time it took effect, from our records (or as a person entered it). */
  inEffectFrom: string;
  /** Where our records show it (settings version, escalation, feed). */
  evidence: string;
  source: 'settings' | 'escalation' | 'feed' | 'operator';
}

export interface PreventiveControl {
  id: string;
  breachTypes: BreachType[];
  control: string;
  owner: string;
  /** The measure that proves the control works, and where it is read. */
  measure: string;
  /** The value the measure must stay within. */
  target: string;
}

export interface PlanOfAction {
  noticeId: string;
  shopId: string;
  rootCauses: RootCause[];
  correctiveActions: CorrectiveAction[];
  preventiveControls: PreventiveControl[];
  summary: string;
  /** A revised appeal (after a denial): what changed since the first, in words. */
  changedSinceFirst?: string;
}

/** One difference between two plans (diffPlans): list items are matched by their id (root causes by breach type). */
export interface PlanChange {
  /** e.g. "summary", "correctiveActions[settings-3].action", "preventiveControls[ldr-daily]". */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** renderAppealPlan's input and answer (activities/suspensionAppeal/plan.ts). */
export interface RenderAppealPlanInput {
  shopId: string;
  appealId: string;
  version: number;
  plan: PlanOfAction;
  evidenceRef: AppealEvidenceRef;
}

export interface RenderedAppealPlan {
  fileId: string;
  sha256: string;
  pageCount: number;
}

/** The purposes the file store records for an appeal's files. */
export const APPEAL_EVIDENCE_PURPOSE = 'appeal-evidence';
export const APPEAL_PLAN_PURPOSE = 'appeal-plan';
