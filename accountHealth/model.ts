/**
 * Account health as our own records show it (issue 17): the metrics TikTok judges a shop by, the score of the shop's
 * regime (the US Account Health Rating or the 48-point system), the violations a person entered from Seller Center
 * notices, a forecast and warnings. TikTok publishes no account-health API (docs/tiktok-shop-api-sources.md §8), so
 * everything here is computed by `computeAccountHealth` (accountHealth/index.ts) from PostgreSQL and the policy rows
 * of policy/accountHealthRows.ts. Plain data: safe to return from an activity and to keep in a workflow.
 */

/** How a region scores shops: US Account Health Rating (0–1000, lower is worse) or points (48 = deactivation). */
export type HealthRegime = 'us_ahr' | 'points48';

export type MetricKey = 'ldr' | 'vtr' | 'sfcr' | 'otdr' | 'responseRate';

/** A policy row as a report used it: shown with its source, and flagged where the value is unverified. */
export interface PolicyUse {
  region: string;
  key: string;
  value: unknown;
  effectiveFrom: string;
  source: string;
  /** The reference gives no official value for it: every output shows it as "unverified". */
  uncertain: boolean;
}

/** A limit a metric is judged against. `max`: the rate must stay at or below; `min`: at or above. */
export interface MetricThreshold {
  level: 'recommended' | 'enforcement';
  direction: 'max' | 'min';
  value: number;
  policyKey: string;
  uncertain: boolean;
}

export interface AccountMetric {
  key: MetricKey;
  name: string;
  /** measured: a rate; no_orders: nothing in the window yet; not_measured: no records (or no policy) to measure it. */
  status: 'measured' | 'no_orders' | 'not_measured';
  /** Why a metric is not measured, or how our reading differs from TikTok's definition. */
  note?: string;
  rate: number | null;
  numerator: number;
  denominator: number;
  window: { days: number; from: string; to: string };
  thresholds: MetricThreshold[];
  /** The worst threshold the rate is past (none while measured within limits or not measured). */
  breached: 'none' | 'recommended' | 'enforcement';
  /** The orders that count against the metric, newest first, at most OFFENDING_ORDERS_CAP. */
  offendingOrderIds: string[];
  offendingTotal: number;
  /**
   * Orders that will count against the metric once TikTok counts them (LDR: past their dispatch deadline, not scanned
   * yet, not cancelled), newest first, at most OFFENDING_ORDERS_CAP; absent for metrics without such a state.
   */
  pendingOrderIds?: string[];
  pendingTotal?: number;
  /** Orders left out by the metric's definition: fulfilled by TikTok, creator samples, TikTok shipping. */
  excluded: { fbt: number; creatorSample: number; tiktokShipping: number };
  /** One of the rows behind it (window, threshold) is unverified. */
  unverified: boolean;
}

export const OFFENDING_ORDERS_CAP = 20;

/** A violation TikTok notified (Seller Center notice), entered by a person. */
export interface HealthViolation {
  id: string;
  shopId: string;
  /** The policy the notice names (e.g. "late_dispatch_rate", "snad", "prohibited_product"). */
  policy: string;
  /** Points as the notice states them (US: deducted from the rating; points regime: added). */
  points: number;
  occurredAt: string;
  /** occurredAt + the regime's window: from then on it no longer counts. */
  expiresAt: string;
  noticeRef: string | null;
  note: string | null;
  enteredBy: string;
  enteredAt: string;
}

export interface NewHealthViolation {
  shopId: string;
  policy: string;
  points: number;
  occurredAt: Date;
  noticeRef?: string;
  note?: string;
  enteredBy: string;
}

export interface HealthMilestone {
  /** US: reached when the rating is at or below it; points: reached when the points are at or above it. */
  threshold: number;
  restriction: string | null;
  uncertain: boolean;
}

export interface HealthScore {
  regime: HealthRegime;
  /** US: the rating (start − active violation points, clamped to the scale); points regime: active points. */
  value: number;
  direction: 'lower_is_worse' | 'higher_is_worse';
  scale: { min: number; max: number };
  /** The value with no active violation (US: the starting score, 200; points regime: 0). */
  base: number;
  /** The most severe milestone reached (null: none). */
  milestone: HealthMilestone | null;
  /** The next milestone in the worse direction (null: none left). */
  nextMilestone: HealthMilestone | null;
  /** Points until the next milestone is reached. */
  pointsToNext: number | null;
  /** What the value rests on that is unverified (policy keys), shown as "unverified". */
  unverified: string[];
}

/** A metric's straight-line trend over the daily snapshots. */
export interface MetricTrend {
  key: MetricKey;
  /** Change of the rate per day (null: fewer than two snapshots with a rate). */
  slopePerDay: number | null;
  /** The enforcement threshold it is heading for, and the day it would cross it at this slope (null: not heading there). */
  threshold: number | null;
  crossesAt: string | null;
}

export interface ReserveLevel {
  level: number;
  metric: MetricKey;
  above: number;
  /** Share of each order's settlement held. */
  rate: number;
}

export interface ReserveExposure {
  /** 0: no reserve driven by the metrics. */
  level: number;
  rate: number;
  driver: MetricKey | null;
  /** The next level up and how far the driving metric is from it (rate points). */
  nextLevel: ReserveLevel | null;
  distance: number | null;
  unverified: boolean;
}

export interface HealthForecast {
  horizonDays: number;
  /** The score on the days active violations expire (the recovery path, no new violations assumed). */
  recovery: { at: string; value: number; milestone: number | null }[];
  /** When the current milestone is left if nothing new happens (null: none reached or it outlasts the horizon). */
  milestoneLeftAt: string | null;
  /** The next milestone and whether the metric trends put it at risk within the horizon. */
  nextMilestone: {
    threshold: number | null;
    pointsAway: number | null;
    risk: 'at_risk' | 'not_expected';
    /** The metrics whose trend or breach is expected to bring a violation notice. */
    drivers: MetricKey[];
  };
  trends: MetricTrend[];
  reserve: ReserveExposure;
}

export interface HealthWarning {
  code:
    | 'metric_breached'
    | 'metric_near_threshold'
    | 'metric_pending'
    | 'metric_trend'
    | 'milestone_reached'
    | 'milestone_near'
    | 'reserve';
  severity: 'info' | 'warning' | 'critical';
  metric?: MetricKey;
  message: string;
  /** The orders that caused it (capped), from the metric's offending orders. */
  orderIds: string[];
  value?: number | null;
  threshold?: number;
  unverified: boolean;
}

export interface AccountHealthReport {
  shopId: string;
  region: string;
  regime: HealthRegime;
  asOf: string;
  metrics: AccountMetric[];
  score: HealthScore;
  violations: HealthViolation[];
  forecast: HealthForecast;
  warnings: HealthWarning[];
  /** Every policy row the report used, with source and uncertainty. */
  policy: PolicyUse[];
}

/** Called once when a shop goes from clean to dirty (db/accountHealth.ts markDirty); wired to the workflow's signal. */
export type OnShopHealthDirty = (shopId: string) => Promise<void>;

/** One day's report as kept (db/accountHealth.ts saveSnapshot): one per shop per day, the later one of a day wins. */
export interface HealthSnapshot {
  shopId: string;
  /** The day of `asOf` (UTC), YYYY-MM-DD. */
  day: string;
  asOf: string;
  scoreValue: number;
  milestone: number | null;
  rates: Partial<Record<MetricKey, number | null>>;
  report: AccountHealthReport;
}
