// The affiliate audit's messages: its input and result, the decision update people send (through the human-step
// route or the CLI) on each proposed action, the query the API reads. Counts, money totals and ids only: the order
// lines stay in PostgreSQL (affiliate_findings lists them by id).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AuditCadence } from './period';

export type { AuditCadence } from './period';

/**
 * A Schedule's firing names its cadence and no period (the period comes from the firing's scheduled time); a start by
 * hand names the period (`2026-11`, `2026-11-23..2026-11-30`).
 */
export interface AffiliateAuditInput {
  shopId: string;
  cadence?: AuditCadence;
  period?: string;
  /** false: audit the rows already in PostgreSQL without syncing first (a period TikTok no longer lists). */
  sync?: boolean;
}

export type FindingKind =
  'double_credit' | 'double_attribution' | 'refunded_units' | 'early_rate_cut' | 'creator_rto' | 'creator_gmv_per_view';

export type ActionKind = 'remove_creator' | 'change_target_rate' | 'build_target_plan' | 'claim';

/** A proposed action as the workflow holds it (its full payload is the action row, db/affiliateFindings.ts). */
export interface ProposedAction {
  actionId: string;
  kind: ActionKind;
  title: string;
  /** Decimal string, two places, in `currency`. */
  money: string;
  currency?: string;
  /** What a person needs to decide (ids, rates, creators, totals): the human step's context. */
  context: Record<string, unknown>;
  /** Already decided in an earlier run of the same period (kept: actions are idempotent). */
  settled?: boolean;
}

/** What the audit found and proposed: totals per finding kind and the actions put to a person. */
export interface AuditSummary {
  linesSeen: number;
  pages: number;
  creatorsSeen: number;
  totals: Partial<Record<FindingKind, { count: number; money: string }>>;
  currency?: string;
  actions: ProposedAction[];
  /** Actions found but not put to a person this time (over the shop's maxActionsPerAudit). */
  actionsNotProposed: number;
}

/**
 * A person's decision on one proposed action (human-step convention: `decidedBy` set by the API from the caller's key).
 * `approve` runs the action (remove, change the rate, create or update the plan); for a claim it says the claim was
 * filed with TikTok (no API: `reference` names the ticket). `rate` overrides a proposed target rate (1/100 %).
 */
export interface ActionDecisionInput {
  decidedBy: string;
  actionId: string;
  decision: 'approve' | 'reject';
  rate?: number;
  reference?: string;
  note?: string;
}

export interface ActionDecisionResult {
  actionId: string;
  kind: ActionKind;
  /** applied: done on TikTok; not_needed: TikTok already showed it done; task_done: a claim recorded as filed. */
  outcome: 'applied' | 'not_needed' | 'task_done' | 'rejected';
  detail?: Record<string, unknown>;
}

export type AuditStage = 'scheduled' | 'syncing' | 'computing' | 'awaiting_decisions' | 'acting' | 'done';

export interface ActionView extends ProposedAction {
  status: 'open' | 'applying' | ActionDecisionResult['outcome'] | 'expired' | 'failed';
  decidedBy?: string;
  decidedAt?: string;
  detail?: Record<string, unknown>;
}

/** The audit as the workflow sees it (getAffiliateAudit query). */
export interface AuditView {
  shopId: string;
  period?: { key: string; from: string; to: string };
  stage: AuditStage;
  summary?: Omit<AuditSummary, 'actions'>;
  actions: ActionView[];
  decisionsDueAt?: string;
  /** A Schedule's firing: the audit it started (its workflow id), or found already started. */
  started?: { workflowId: string; alreadyStarted: boolean };
}

export interface AuditResult {
  shopId: string;
  periodKey: string;
  summary?: Omit<AuditSummary, 'actions'>;
  actions: ActionView[];
  started?: AuditView['started'];
}

export const decideAffiliateActionUpdate = defineUpdate<ActionDecisionResult, [ActionDecisionInput]>(
  'decideAffiliateAction',
);
export const getAffiliateAuditQuery = defineQuery<AuditView>('getAffiliateAudit');

/** The update name, for the human-step record. */
export const DECIDE_AFFILIATE_ACTION_UPDATE = 'decideAffiliateAction';

/** JSON Schema of one action's decision (without `decidedBy`); `actionId` is fixed per step. */
export function actionDecisionSchema(actionId: string, kind: ActionKind) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['actionId', 'decision'],
    properties: {
      actionId: { const: actionId },
      decision: {
        type: 'string',
        enum: ['approve', 'reject'],
        description: kind === 'claim' ? 'approve: the claim was filed with TikTok' : 'approve: do it on TikTok',
      },
      ...(kind === 'change_target_rate'
        ? { rate: { type: 'integer', minimum: 100, maximum: 8000, description: 'The new rate, 1/100 %' } }
        : {}),
      ...(kind === 'claim' ? { reference: { type: 'string', maxLength: 200, description: 'The ticket' } } : {}),
      note: { type: 'string', maxLength: 500 },
    },
  };
}
