/**
 * Warnings before a threshold is crossed (pure), each naming the orders that caused it: a metric past a threshold
 * (critical at the enforcement level), a metric that has used `margin` of its room to the next threshold, a trend
 * that crosses within the forecast horizon, a milestone reached or near, a reserve level. `margin` is the product
 * default `health.warningMargin` (policy/accountHealthRows.ts).
 */
import { badShare, pastThreshold } from './metrics';
import type { AccountMetric, HealthForecast, HealthScore, HealthWarning, MetricThreshold } from './model';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const unverifiedNote = (unverified: boolean) => (unverified ? ' (unverified)' : '');

/**
 * How many more orders against the metric (each also adding to the denominator) would take it past `t`; 0 when
 * already past.
 */
export function ordersToCross(m: Pick<AccountMetric, 'numerator' | 'denominator'>, t: MetricThreshold): number {
  const { numerator: n, denominator: d } = m;
  if (t.direction === 'max') {
    // (n + k) / (d + k) > t  ⇔  k > (t·d − n) / (1 − t)
    if (d > 0 && n / d > t.value) return 0;
    if (t.value >= 1) return Infinity;
    return Math.max(0, Math.floor((t.value * d - n) / (1 - t.value)) + 1);
  }
  // n / (d + k) < t  ⇔  k > n / t − d
  if (d > 0 && n / d < t.value) return 0;
  if (t.value <= 0) return Infinity;
  return Math.max(0, Math.floor(n / t.value - d) + 1);
}

function metricWarnings(m: AccountMetric, margin: number): HealthWarning[] {
  if (m.status !== 'measured' || m.rate === null) return [];
  const rate = m.rate;
  const base = { metric: m.key, orderIds: m.offendingOrderIds, value: rate, unverified: m.unverified };
  const past = m.thresholds.filter((t) => pastThreshold(rate, t));
  const worst = past.find((t) => t.level === 'enforcement') ?? past[0];
  if (worst) {
    return [
      {
        ...base,
        code: 'metric_breached',
        severity: worst.level === 'enforcement' ? 'critical' : 'warning',
        threshold: worst.value,
        message: `${m.name} ${pct(rate)} is past the ${worst.level} level ${pct(worst.value)}${unverifiedNote(m.unverified)}: ${m.offendingTotal} order(s) count against it`,
      },
    ];
  }
  // The nearest threshold not yet crossed: used share of the room between a perfect rate and the threshold.
  const next = m.thresholds.find((t) => !pastThreshold(rate, t));
  if (!next || m.offendingTotal === 0) return [];
  const room = badShare(next.value, next.direction);
  const used = room === 0 ? 1 : badShare(rate, next.direction) / room;
  if (used < margin) return [];
  const more = ordersToCross(m, next);
  return [
    {
      ...base,
      code: 'metric_near_threshold',
      severity: next.level === 'enforcement' ? 'warning' : 'info',
      threshold: next.value,
      message: `${m.name} ${pct(rate)} is near the ${next.level} level ${pct(next.value)}${unverifiedNote(m.unverified)}: ${more} more order(s) against it cross it`,
    },
  ];
}

/**
 * Orders not counted yet that will count against the metric (LDR: past the dispatch deadline, not scanned): the rate
 * they would make, warned about before it is crossed. Severity: a warning when they would take the metric past its
 * enforcement level, information when past a recommended one.
 */
function pendingWarning(m: AccountMetric): HealthWarning[] {
  const p = m.pendingTotal ?? 0;
  if (p === 0 || m.breached === 'enforcement') return [];
  const projected = (m.numerator + p) / (m.denominator + p);
  const crossed = m.thresholds.filter(
    (t) => pastThreshold(projected, t) && (m.rate === null || !pastThreshold(m.rate, t)),
  );
  const worst = crossed.find((t) => t.level === 'enforcement') ?? crossed[0];
  if (!worst) return [];
  return [
    {
      code: 'metric_pending',
      severity: worst.level === 'enforcement' ? 'warning' : 'info',
      metric: m.key,
      orderIds: m.pendingOrderIds ?? [],
      value: projected,
      threshold: worst.value,
      unverified: m.unverified,
      message: `${p} order(s) past their deadline will count against ${m.name} once counted: it would be ${pct(projected)}, past the ${worst.level} level ${pct(worst.value)}${unverifiedNote(m.unverified)}`,
    },
  ];
}

export function healthWarnings(inputs: {
  metrics: AccountMetric[];
  score: HealthScore;
  forecast: HealthForecast;
  margin: number;
}): HealthWarning[] {
  const { metrics, score, forecast, margin } = inputs;
  const warnings = metrics.flatMap((m) => [...metricWarnings(m, margin), ...pendingWarning(m)]);
  for (const t of forecast.trends) {
    const m = metrics.find((x) => x.key === t.key);
    if (!m || t.crossesAt === null || m.breached !== 'none' || t.threshold === null) continue;
    warnings.push({
      code: 'metric_trend',
      severity: 'warning',
      metric: m.key,
      orderIds: m.offendingOrderIds,
      value: m.rate,
      threshold: t.threshold,
      unverified: m.unverified,
      message: `${m.name} is heading past ${pct(t.threshold)} by ${t.crossesAt.slice(0, 10)} at its current trend${unverifiedNote(m.unverified)}`,
    });
  }
  const scoreUnverified = score.unverified.length > 0;
  const note = scoreUnverified ? ` (unverified: ${score.unverified.join(', ')})` : '';
  if (score.milestone) {
    warnings.push({
      code: 'milestone_reached',
      severity: 'critical',
      orderIds: [],
      value: score.value,
      threshold: score.milestone.threshold,
      unverified: scoreUnverified,
      message: `score ${score.value} reached the ${score.milestone.threshold} milestone: ${score.milestone.restriction ?? 'restriction not published'}${note}`,
    });
  }
  if (score.nextMilestone && score.pointsToNext !== null) {
    // The room between the last milestone reached (or the value with no violation) and the next one.
    const gap = Math.abs((score.milestone?.threshold ?? score.base) - score.nextMilestone.threshold);
    if (gap > 0 && score.pointsToNext <= (1 - margin) * gap) {
      warnings.push({
        code: 'milestone_near',
        severity: 'warning',
        orderIds: [],
        value: score.value,
        threshold: score.nextMilestone.threshold,
        unverified: scoreUnverified,
        message: `score ${score.value} is ${score.pointsToNext} point(s) from the ${score.nextMilestone.threshold} milestone${note}`,
      });
    }
  }
  const r = forecast.reserve;
  if (r.level > 0 && r.driver) {
    const m = metrics.find((x) => x.key === r.driver);
    warnings.push({
      code: 'reserve',
      severity: 'warning',
      metric: r.driver,
      orderIds: m?.offendingOrderIds ?? [],
      value: m?.rate ?? null,
      unverified: r.unverified,
      message: `reserve level ${r.level}: ${pct(r.rate)} of each order's settlement held (driven by ${r.driver})${unverifiedNote(r.unverified)}`,
    });
  }
  const order = { critical: 0, warning: 1, info: 2 };
  return warnings.sort((a, b) => order[a.severity] - order[b.severity]);
}
