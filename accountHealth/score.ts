/**
 * The score of the shop's regime from its active violations (pure). US Account Health Rating: start − points of the
 * violations in the 180-day window, on 0–1000, milestones reached at or below 150 / 100 / 50 / 0. 48-point regime:
 * the active points, deactivation at 48. Rows: policy/accountHealthRows.ts.
 */
import type { HealthMilestone, HealthRegime, HealthScore, HealthViolation } from './model';
import type { PolicyReader } from './policyReader';

/** A regime's parameters as read from the policy rows at one instant. */
export interface RegimeParams {
  regime: HealthRegime;
  direction: HealthScore['direction'];
  scale: { min: number; max: number };
  /** The value with no active violation: the US starting score, 0 points. */
  base: number;
  windowDays: number;
  /** Most lenient first: US 150, 100, 50, 0; points 48. */
  milestones: HealthMilestone[];
  unverified: string[];
}

export function regimeParams(policy: PolicyReader): RegimeParams {
  const regime = policy.row<HealthRegime>('health.regime').value;
  const prefix = regime === 'us_ahr' ? 'ahr' : 'points48';
  const unverified = new Set<string>();
  const read = <T>(key: string) => {
    const row = policy.row<T>(key);
    if (row.uncertain) unverified.add(key);
    return row;
  };
  const thresholds = read<number[]>(`${prefix}.milestones`).value;
  const restrictions = policy.find<Record<string, string>>(`${prefix}.milestone.restrictions`);
  if (restrictions?.uncertain) unverified.add(`${prefix}.milestone.restrictions`);
  const windowDays = read<number>(`${prefix}.window.days`).value;
  const milestones = thresholds.map((threshold) => ({
    threshold,
    restriction: restrictions?.value[String(threshold)] ?? null,
    uncertain: restrictions?.uncertain === true,
  }));
  if (regime === 'us_ahr') {
    read('ahr.violationPoints');
    read('ahr.earnedPoints.perDeliveredOrder');
    return {
      regime,
      direction: 'lower_is_worse',
      scale: read<{ min: number; max: number }>('ahr.scale').value,
      base: read<number>('ahr.start').value,
      windowDays,
      milestones: [...milestones].sort((a, b) => b.threshold - a.threshold),
      unverified: [...unverified].sort(),
    };
  }
  return {
    regime,
    direction: 'higher_is_worse',
    scale: { min: 0, max: Math.max(...thresholds) },
    base: 0,
    windowDays,
    milestones: [...milestones].sort((a, b) => a.threshold - b.threshold),
    unverified: [...unverified].sort(),
  };
}

/** The score with these points active. */
export function scoreFor(params: RegimeParams, activePoints: number): HealthScore {
  const raw = params.direction === 'lower_is_worse' ? params.base - activePoints : params.base + activePoints;
  const value = Math.min(params.scale.max, Math.max(params.scale.min, raw));
  const reached = (m: HealthMilestone) =>
    params.direction === 'lower_is_worse' ? value <= m.threshold : value >= m.threshold;
  // Milestones are listed most lenient first: the last reached is the most severe, the first not reached is next.
  const milestone = params.milestones.filter(reached).at(-1) ?? null;
  const nextMilestone = params.milestones.find((m) => !reached(m)) ?? null;
  return {
    regime: params.regime,
    value,
    direction: params.direction,
    scale: params.scale,
    base: params.base,
    milestone,
    nextMilestone,
    pointsToNext: nextMilestone === null ? null : Math.abs(value - nextMilestone.threshold),
    unverified: params.unverified,
  };
}

export function scoreFromViolations(params: RegimeParams, violations: HealthViolation[]): HealthScore {
  return scoreFor(
    params,
    violations.reduce((sum, v) => sum + v.points, 0),
  );
}
