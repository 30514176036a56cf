// The account-health workflow's messages: its input (and what a run hands to the next at continue-as-new), the
// signals (something that moves the metrics changed; the day's snapshot is due), the query the API reads and the
// update a person sends with a Seller Center notice. Only a summary of the report travels here, never order rows:
// the report itself is computed from PostgreSQL by the refresh activity and served by the API from there.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseRiskLevel } from '../shared/searchAttributes';

/** One metric as the summary keeps it: the rate and how it stands against its threshold. */
export interface AccountHealthMetricSummary {
  key: string;
  /** null: nothing in the window yet (or not measured yet, e.g. response rate before buyer messaging). */
  value: number | null;
  status: string;
}

/** One warning as the summary keeps it (the orders it names stay in the report and the notification). */
export interface AccountHealthWarningSummary {
  key: string;
  severity: string;
  title: string;
  /** How many orders the warning names. */
  orders: number;
}

/** What one refresh found: small, so history stays small however many orders the shop has. */
export interface AccountHealthSummary {
  asOf: string;
  region: string;
  regime: string;
  score: {
    value: number | null;
    milestone: string | null;
    nextMilestone: string | null;
    /** The score rests on a value without an official source (policy rows marked uncertain). */
    unverified: boolean;
  };
  /** CaseStage: the regime and where the shop stands in it. */
  stage: string;
  /** CaseRisk: on_track, at_risk (a warning or a milestone forecast), late (a restriction threshold breached). */
  risk: Exclude<CaseRiskLevel, 'done'>;
  /** NextDeadline: when the forecast says the next milestone is crossed; null when none is forecast. */
  nextMilestoneAt: string | null;
  /** When the score changes without any new event (the earliest violation expiry): the workflow refreshes then. */
  nextChangeAt: string | null;
  metrics: AccountHealthMetricSummary[];
  warnings: AccountHealthWarningSummary[];
  activeViolations: number;
  /** The day (YYYY-MM-DD) of the snapshot this refresh saved, when it saved one. */
  snapshotDay?: string;
}

/** What a run carries into the next at continue-as-new. */
export interface AccountHealthCarried {
  summary?: AccountHealthSummary;
  /** Epoch ms of the last refresh (successful or failed): the once-a-minute throttle. */
  lastRefreshAt?: number;
  dirty: boolean;
  snapshotDue: boolean;
  refreshes: number;
  lastError?: string;
}

export interface AccountHealthInput {
  shopId: string;
  /**
   * `daily`: the run the shop's daily Schedule starts: it asks the shop's account-health workflow for the day's
   * snapshot (signal-with-start) and ends. Absent: the shop's long-lived account-health workflow.
   */
  mode?: 'daily';
  carried?: AccountHealthCarried;
  /** At most one refresh per this many ms (default 60,000: once a minute). */
  minRefreshIntervalMs?: number;
  /** After a failed refresh, the next try waits this long (default 5 minutes). */
  retryAfterMs?: number;
  /** Continue-as-new once the history has more events than this (default 2,000; tests set a few dozen). */
  maxHistoryEvents?: number;
}

/** The workflow as GET /v1/shops/:shopId/account-health reads it (with the full report from PostgreSQL). */
export interface AccountHealthView {
  shopId: string;
  summary: AccountHealthSummary | null;
  lastRefreshAt: string | null;
  refreshes: number;
  /** Something changed since the last refresh (the next one is at most a minute away). */
  dirty: boolean;
  snapshotDue: boolean;
  lastError: string | null;
}

/**
 * A violation TikTok notified in Seller Center, entered by a person (human-step convention: `decidedBy` set by the API
 * from the caller's key). `noticeId` is the notice's id in Seller Center (the same notice twice is one violation);
 * `policy` names the violated policy; `points` what TikTok deducted (US AHR) or assigned (48-point regime);
 * `occurredAt` the notice's date (ISO), from which the violation's window runs.
 */
export interface RecordViolationInput {
  decidedBy: string;
  noticeId: string;
  policy: string;
  points: number;
  occurredAt: string;
  note?: string;
}

export interface RecordViolationResult {
  violationId: string;
  noticeId: string;
  occurredAt: string;
  /** When the violation stops counting (the regime's window after occurredAt), ISO. */
  expiresAt: string;
}

/** The JSON Schema of the update's body (without decidedBy, which the API sets). */
export const RECORD_VIOLATION_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['noticeId', 'policy', 'points', 'occurredAt'],
  properties: {
    noticeId: { type: 'string', minLength: 1, maxLength: 100 },
    policy: { type: 'string', minLength: 1, maxLength: 200 },
    points: { type: 'integer', minimum: 1, maximum: 1000 },
    occurredAt: { type: 'string', format: 'date-time' },
    note: { type: 'string', maxLength: 1000 },
  },
} as const;

export const RECORD_VIOLATION_UPDATE = 'recordViolation';

/** Orders, cancellations or tracking of the shop changed (sent once per clean→dirty transition of the shop's marker). */
export const accountHealthDirtySignal = defineSignal('accountHealthDirty');
/** The daily Schedule's firing: refresh (within the minute) and save the day's snapshot. */
export const accountHealthSnapshotSignal = defineSignal<[{ scheduledAt: string }]>('accountHealthSnapshot');
export const getAccountHealthQuery = defineQuery<AccountHealthView>('getAccountHealth');
export const recordViolationUpdate = defineUpdate<RecordViolationResult, [RecordViolationInput]>(
  RECORD_VIOLATION_UPDATE,
);
