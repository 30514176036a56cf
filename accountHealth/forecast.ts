/**
 * Where the shop is heading (pure): the score's recovery as recorded violations expire, the metrics' straight-line
 * trends over the daily snapshots (when each would cross its enforcement threshold), the next milestone's risk and the
 * reserve level the metrics put the shop in (policy/accountHealthRows.ts `reserve.levels`, §2.6 of the reference).
 */
import { pastThreshold } from './metrics';
import type {
  AccountMetric,
  HealthForecast,
  HealthScore,
  HealthViolation,
  MetricKey,
  MetricTrend,
  ReserveExposure,
  ReserveLevel,
} from './model';
import { scoreFor, type RegimeParams } from './score';

const DAY_MS = 86_400_000;

export interface ForecastInputs {
  asOf: Date;
  horizonDays: number;
  params: RegimeParams;
  score: HealthScore;
  violations: HealthViolation[];
  metrics: AccountMetric[];
  /** Earlier days' rates (oldest first), e.g. from db/accountHealth.ts history. */
  snapshots: { asOf: string; rates: Partial<Record<MetricKey, number | null>> }[];
  reserveLevels: ReserveLevel[] | undefined;
  reserveUnverified: boolean;
}

/** The score after each expiry of the active violations, no new violation assumed. */
export function recoveryPath(params: RegimeParams, violations: HealthViolation[]): HealthForecast['recovery'] {
  const expiries = [...new Set(violations.map((v) => v.expiresAt))].sort();
  return expiries.map((at) => {
    const left = violations.filter((v) => v.expiresAt > at).reduce((sum, v) => sum + v.points, 0);
    const s = scoreFor(params, left);
    return { at, value: s.value, milestone: s.milestone?.threshold ?? null };
  });
}

/** Least-squares slope of (time, rate) in rate per day; null with fewer than two points or no spread in time. */
export function slopePerDay(points: { at: number; rate: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.at, 0) / n;
  const my = points.reduce((s, p) => s + p.rate, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.at - mx) ** 2, 0);
  if (sxx === 0) return null;
  const sxy = points.reduce((s, p) => s + (p.at - mx) * (p.rate - my), 0);
  return (sxy / sxx) * DAY_MS;
}

/** The metric's trend and the day it would cross its enforcement threshold (or its only one) within the horizon. */
export function metricTrend(
  metric: AccountMetric,
  snapshots: ForecastInputs['snapshots'],
  asOf: Date,
  horizonDays: number,
): MetricTrend {
  const points = snapshots
    .filter((s) => typeof s.rates[metric.key] === 'number' && Date.parse(s.asOf) < asOf.getTime())
    .map((s) => ({ at: Date.parse(s.asOf), rate: s.rates[metric.key] as number }));
  if (metric.rate !== null) points.push({ at: asOf.getTime(), rate: metric.rate });
  const slope = slopePerDay(points);
  const t = metric.thresholds.find((x) => x.level === 'enforcement') ?? metric.thresholds[0];
  const base = { key: metric.key, slopePerDay: slope, threshold: t?.value ?? null, crossesAt: null };
  if (!t || slope === null || metric.rate === null) return base;
  if (pastThreshold(metric.rate, t)) return { ...base, crossesAt: asOf.toISOString() };
  const towards = t.direction === 'max' ? slope > 0 : slope < 0;
  if (!towards) return base;
  const days = (t.value - metric.rate) / slope;
  if (days > horizonDays) return base;
  return { ...base, crossesAt: new Date(asOf.getTime() + days * DAY_MS).toISOString() };
}

/** The reserve level the metrics put the shop in, and the next level's distance. */
export function reserveExposure(
  metrics: AccountMetric[],
  levels: ReserveLevel[] | undefined,
  unverified: boolean,
): ReserveExposure {
  const none: ReserveExposure = { level: 0, rate: 0, driver: null, nextLevel: null, distance: null, unverified };
  if (!levels || levels.length === 0) return none;
  const rateOf = (key: MetricKey) => metrics.find((m) => m.key === key)?.rate ?? null;
  const sorted = [...levels].sort((a, b) => a.level - b.level);
  let current = none;
  for (const l of sorted) {
    const r = rateOf(l.metric);
    if (r !== null && r > l.above && l.level > current.level)
      current = { ...none, level: l.level, rate: l.rate, driver: l.metric };
  }
  const next = sorted.find((l) => l.level > current.level) ?? null;
  const nextRate = next ? rateOf(next.metric) : null;
  return {
    ...current,
    nextLevel: next,
    distance: next && nextRate !== null ? Math.max(0, next.above - nextRate) : null,
  };
}

export function forecast(inputs: ForecastInputs): HealthForecast {
  const { asOf, horizonDays, params, score } = inputs;
  const recovery = recoveryPath(params, inputs.violations);
  const current = score.milestone?.threshold ?? null;
  const left = current === null ? undefined : recovery.find((r) => r.milestone !== current);
  const trends = inputs.metrics.map((m) => metricTrend(m, inputs.snapshots, asOf, horizonDays));
  // A metric past its enforcement level, or heading there within the horizon, is expected to bring a violation.
  const drivers = trends.filter((t) => t.crossesAt !== null).map((t) => t.key);
  return {
    horizonDays,
    recovery,
    milestoneLeftAt: left?.at ?? null,
    nextMilestone: {
      threshold: score.nextMilestone?.threshold ?? null,
      pointsAway: score.pointsToNext,
      risk: score.nextMilestone !== null && drivers.length > 0 ? 'at_risk' : 'not_expected',
      drivers,
    },
    trends,
    reserve: reserveExposure(inputs.metrics, inputs.reserveLevels, inputs.reserveUnverified),
  };
}
