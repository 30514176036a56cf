// The account-health report reduced to what the workflow keeps (pure: unit-tested in
// test/unit/accountHealthSummary.test.ts): the score, the case attributes (stage, risk, next milestone), when the
// score changes by itself, one line per metric and per warning. The report's order ids stay out of history.
import type { AccountHealthReport, HealthWarning } from '../../accountHealth/model';
import type { AccountHealthSummary } from '../../workflows/accountHealth/messages';

/** A warning's identity across refreshes: the same condition on the same metric and threshold. */
export function warningKey(w: HealthWarning): string {
  return [w.code, w.metric ?? 'score', w.threshold ?? ''].join(':');
}

/** on_track, at_risk (a warning or a forecast milestone), late (a milestone reached or an enforcement threshold passed). */
export function accountHealthRisk(report: AccountHealthReport): AccountHealthSummary['risk'] {
  if (report.score.milestone !== null || report.metrics.some((m) => m.breached === 'enforcement')) return 'late';
  if (report.forecast.nextMilestone.risk !== 'not_expected') return 'at_risk';
  if (report.warnings.some((w) => w.severity !== 'info')) return 'at_risk';
  return 'on_track';
}

/**
 * When the forecast puts the next milestone: the earliest day a driving metric's trend crosses its enforcement
 * threshold (a crossing brings a violation notice); the report's time when a driver is past it already (no crossing
 * ahead); null when no milestone is expected.
 */
export function nextMilestoneAt(report: AccountHealthReport): string | null {
  const next = report.forecast.nextMilestone;
  if (next.risk !== 'at_risk') return null;
  const crossings = report.forecast.trends
    .filter((t) => t.crossesAt !== null && (next.drivers.length === 0 || next.drivers.includes(t.key)))
    .map((t) => t.crossesAt as string)
    .sort();
  return crossings[0] ?? report.asOf;
}

/** The regime and where the shop stands in it, e.g. `us_ahr 170: clear` or `points48 12: milestone 12`. */
export function accountHealthStage(report: AccountHealthReport): string {
  const { score } = report;
  const where = score.milestone === null ? 'clear' : `milestone ${score.milestone.threshold}`;
  return `${report.regime} ${score.value}: ${where}`;
}

export function summarizeAccountHealth(report: AccountHealthReport, snapshotDay?: string): AccountHealthSummary {
  const asOf = Date.parse(report.asOf);
  const expiries = report.violations
    .map((v) => v.expiresAt)
    .filter((t) => Date.parse(t) > asOf)
    .sort();
  return {
    asOf: report.asOf,
    region: report.region,
    regime: report.regime,
    score: {
      value: report.score.value,
      milestone: report.score.milestone === null ? null : String(report.score.milestone.threshold),
      nextMilestone: report.score.nextMilestone === null ? null : String(report.score.nextMilestone.threshold),
      unverified: report.score.unverified.length > 0,
    },
    stage: accountHealthStage(report),
    risk: accountHealthRisk(report),
    nextMilestoneAt: nextMilestoneAt(report),
    nextChangeAt: expiries[0] ?? null,
    metrics: report.metrics.map((m) => ({ key: m.key, value: m.rate, status: `${m.status}/${m.breached}` })),
    warnings: report.warnings.map((w) => ({
      key: warningKey(w),
      severity: w.severity,
      title: w.message,
      orders: w.orderIds.length,
    })),
    activeViolations: report.violations.filter((v) => Date.parse(v.expiresAt) > asOf).length,
    ...(snapshotDay === undefined ? {} : { snapshotDay }),
  };
}
