import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';

// The custom search attributes of every process: ONE small set of "case" attributes, because SQL visibility (the dev
// server's SQLite, PostgreSQL) has a fixed number of slots per type and namespace (SQL_VISIBILITY_SLOTS below). The
// workflow type tells processes apart (`WorkflowType = "orderAcknowledgment"`); what each attribute means for each
// process is the table in README.md ("Search attributes"). Registered at dev-server start (scripts/startStack.ts), in
// tests (test/helpers/temporal.ts, scripts/testServices.ts) and by docker-compose.yml's temporal-setup job.
// Values are stored in clear in visibility (no payload codec): ids, stages and times only, never buyer data.

/** The shop the case belongs to; every process sets it (API keys scoped to shops filter on it). */
export const ShopId = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);
/** The shop's TikTok region (US, GB, …), where a process knows it. */
export const ShopRegion = defineSearchAttributeKey('ShopRegion', SearchAttributeType.KEYWORD);
/** What kind of case, for processes that handle several kinds (a return vs a refund-only request). */
export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
/** The case's business id within the shop (the TikTok order id, return id, appeal id). */
export const CaseId = defineSearchAttributeKey('CaseId', SearchAttributeType.KEYWORD);
/** Where the case stands, in the platform's own words where it has them (the TikTok order status). */
export const CaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
/** on_track | at_risk | late | done: measured against HardDeadline. */
export const CaseRisk = defineSearchAttributeKey('CaseRisk', SearchAttributeType.KEYWORD);
/** When the case's next step is due; removed once nothing is due (the case is done). */
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
/** The deadline the platform enforces (late dispatch, auto-approval); kept after the case is done. */
export const HardDeadline = defineSearchAttributeKey('HardDeadline', SearchAttributeType.DATETIME);

/**
 * Temporal's own attribute on every workflow a Schedule starts: the firing's scheduled time (a system attribute, not
 * one of ours: never registered, never upserted). The affiliate audit takes its period from it.
 */
export const TemporalScheduledStartTime = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

export const ALL_SEARCH_ATTRIBUTES = [
  ShopId,
  ShopRegion,
  CaseKind,
  CaseId,
  CaseStage,
  CaseRisk,
  NextDeadline,
  HardDeadline,
] as const;

/**
 * Custom search attribute slots per namespace on SQL visibility (MySQL 8.0.17+, PostgreSQL 12+, SQLite 3.31+):
 * https://docs.temporal.io/search-attribute#custom-search-attribute (the pre-allocated Bool01–03, Datetime01–03,
 * Double01–03, Int01–03, Keyword01–10, KeywordList01–03 and Text01–03 columns of the visibility schema).
 */
export const SQL_VISIBILITY_SLOTS: Readonly<Record<SearchAttributeType, number>> = {
  KEYWORD: 10,
  DATETIME: 3,
  INT: 3,
  DOUBLE: 3,
  BOOL: 3,
  KEYWORD_LIST: 3,
  TEXT: 3,
};

/**
 * What the shared set may spend (README.md "Search attributes"): every later process uses the set above, never an
 * attribute of its own. Growing it is a decision for every process at once: change this budget, the set and README's
 * table together (test/unit/searchAttributes.test.ts holds them to each other and to SQL_VISIBILITY_SLOTS).
 */
export const SEARCH_ATTRIBUTE_BUDGET: Readonly<Record<SearchAttributeType, number>> = {
  KEYWORD: 6,
  DATETIME: 2,
  INT: 0,
  DOUBLE: 0,
  BOOL: 0,
  KEYWORD_LIST: 0,
  TEXT: 0,
};

/**
 * Attributes of the per-process set that came before (issue 14). Registration removes them where they are still
 * registered (a dev server's SQLite file from an earlier `npm start`, an existing deployment), so their slots are
 * free for the set above: with them, the set would need 4 Datetime slots of 3.
 */
export const RETIRED_SEARCH_ATTRIBUTES: readonly string[] = [
  'AuthorizationState',
  'OrderId',
  'OrderState',
  'OrderRisk',
  'OrderReadyToShipBy',
  'OrderCarrierScanBy',
];

export type CaseRiskLevel = 'on_track' | 'at_risk' | 'late' | 'done';

/** A case's attributes as a process knows them: undefined leaves an attribute as it is, null removes it. */
export interface CaseAttributes {
  shopId: string;
  region?: string;
  kind?: string;
  caseId?: string;
  stage?: string;
  risk?: CaseRiskLevel;
  /** ISO 8601. */
  nextDeadline?: string | null;
  /** ISO 8601. */
  hardDeadline?: string | null;
}

/** The upsert of `c` (pure: what upsertCaseAttributes sends). */
export function caseSearchAttributes(c: CaseAttributes): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [{ key: ShopId, value: c.shopId }];
  const keyword = (key: typeof CaseId, value: string | undefined) => {
    if (value !== undefined) pairs.push({ key, value });
  };
  const datetime = (key: typeof NextDeadline, value: string | null | undefined) => {
    if (value !== undefined) pairs.push({ key, value: value === null ? null : new Date(value) });
  };
  keyword(ShopRegion, c.region);
  keyword(CaseKind, c.kind);
  keyword(CaseId, c.caseId);
  keyword(CaseStage, c.stage);
  keyword(CaseRisk, c.risk);
  datetime(NextDeadline, c.nextDeadline);
  datetime(HardDeadline, c.hardDeadline);
  return pairs;
}

/** The one way a workflow publishes its search attributes (workflow code only: it issues an upsert command). */
export function upsertCaseAttributes(c: CaseAttributes): void {
  upsertSearchAttributes(caseSearchAttributes(c));
}
