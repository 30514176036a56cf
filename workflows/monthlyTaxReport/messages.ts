// The monthly tax report's messages: its input and result, the approval updates people send (through the human-step
// route or the CLI), the query the API reads. Counts, totals and ids only: the order lines stay in PostgreSQL
// (tax_sales_lines), the report's figures in tax_reports and its CSV/PDF in the file store.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { TaxReportSummary } from '../../activities/taxReport';

/**
 * A Schedule's firing names no period (the period is the month before its scheduled time, in the shop's tax time
 * zone); a start by hand names any ended month (`2026-11`).
 */
export interface MonthlyTaxReportInput {
  shopId: string;
  period?: string;
}

export type TaxEngineChoice = 'none' | 'avatax' | 'taxjar';

/** What computeTaxReportStep answers once the report is done (activities/taxReport/). */
export type { TaxReportSummary };

/** The report's settings as the workflow reads them when it starts (activities/monthlyTaxReport/). */
export interface TaxReportSettingsView {
  engine: TaxEngineChoice;
  timeZone: string;
  scheduleHour: number;
  approvalWindowMs: number;
}

/** A person approves the month's report (human-step convention: `decidedBy` set by the API from the caller's key). */
export interface ApproveTaxReportInput {
  decidedBy: string;
  /** When given, the hash of the report the person read: refused if the report is another one. */
  hash?: string;
  note?: string;
}

export interface RejectTaxReportInput {
  decidedBy: string;
  reason: string;
}

export type TaxReportStage =
  | 'scheduled'
  | 'syncing'
  | 'computing'
  | 'awaiting_approval'
  | 'committing'
  | 'approved'
  | 'committed'
  | 'rejected'
  | 'expired'
  | 'commit_failed';

export interface TaxCommitView {
  engine: Exclude<TaxEngineChoice, 'none'>;
  staged: number;
  seen: number;
  created: number;
  replaced: number;
  skipped: number;
  rejected: number;
  refunds: number;
  activityCalls: number;
  error?: string;
}

/** The report as the workflow sees it (getTaxReport query). */
export interface TaxReportView {
  shopId: string;
  period?: string;
  timeZone?: string;
  engine?: TaxEngineChoice;
  stage: TaxReportStage;
  /** Lines read so far and the activity calls it took. */
  progress: { lines: number; steps: number };
  summary?: TaxReportSummary;
  approvalDueAt?: string;
  decision?: { decision: 'approved' | 'rejected'; decidedBy: string; decidedAt: string; note?: string };
  commit?: TaxCommitView;
  /** A Schedule's firing: the report it started (its workflow id), or found already started. */
  started?: { workflowId: string; period: string; alreadyStarted: boolean };
}

export type TaxReportResult = TaxReportView;

export interface TaxReportDecisionResult {
  period: string;
  decision: 'approved' | 'rejected';
  reportId: string;
}

export const approveTaxReportUpdate = defineUpdate<TaxReportDecisionResult, [ApproveTaxReportInput]>(
  'approveTaxReport',
);
export const rejectTaxReportUpdate = defineUpdate<TaxReportDecisionResult, [RejectTaxReportInput]>('rejectTaxReport');
export const getTaxReportQuery = defineQuery<TaxReportView>('getTaxReport');

/** The update names, for the human-step records. */
export const APPROVE_TAX_REPORT_UPDATE = 'approveTaxReport';
export const REJECT_TAX_REPORT_UPDATE = 'rejectTaxReport';
/** The human steps' keys: one question (approve or reject this month), asked by two steps the person picks from. */
export const APPROVE_STEP_KEY = 'approve';
export const REJECT_STEP_KEY = 'reject';
export const TAX_REPORT_CASE = 'tax_report';

/** JSON Schema of the approval's body (without `decidedBy`). */
export const APPROVE_TAX_REPORT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    hash: { type: 'string', maxLength: 128, description: "The report's hash, as read (optional guard)" },
    note: { type: 'string', maxLength: 500 },
  },
} as const;

/** JSON Schema of the rejection's body (without `decidedBy`). */
export const REJECT_TAX_REPORT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
} as const;
