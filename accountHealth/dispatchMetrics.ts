import type { AccountHealthReport, AccountMetric } from './model';

/**
 * GET /v1/shops/:shopId/metrics: the dispatch metrics (LDR, VTR) in the shape that route has always answered, read
 * from an account-health report (one computation, not a second copy), plus every metric of the report.
 */
export function dispatchMetricsView(report: AccountHealthReport) {
  const metric = (key: AccountMetric['key']) => report.metrics.find((m) => m.key === key)!;
  const row = (key: string) => {
    const r = report.policy.find((p) => p.key === key);
    return r ? { value: r.value, source: r.source, effectiveFrom: r.effectiveFrom, uncertain: r.uncertain } : null;
  };
  const ldr = metric('ldr');
  const vtr = metric('vtr');
  return {
    shopId: report.shopId,
    region: report.region,
    at: report.asOf,
    ldr: {
      windowDays: ldr.window.days,
      dispatched: ldr.denominator,
      late: ldr.numerator,
      rate: ldr.rate,
      lateOrderIds: ldr.offendingOrderIds,
      recommendedMax: row('ldr.recommendedMax'),
      enforcementAbove: row('ldr.enforcementAbove'),
    },
    vtr: {
      windowDays: vtr.window.days,
      dispatched: vtr.denominator,
      validTracking: vtr.numerator,
      rate: vtr.rate,
      min: row('vtr.min'),
      minCarrierScans: row('vtr.minCarrierScans'),
    },
    metrics: report.metrics,
  };
}
