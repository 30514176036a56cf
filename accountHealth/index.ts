/**
 * Account health from our own records (issue 17): `computeAccountHealth` reads the shop's order facts, dispatch events,
 * violations and snapshots (db/accountHealth.ts) and the policy rows in force (policy/accountHealthRows.ts,
 * policy/dispatchRows.ts), and returns the report the accountHealth workflow keeps and the API serves. Everything
 * below it is pure: metrics.ts, score.ts, forecast.ts, warnings.ts.
 */
import { createAccountHealthRepository } from '../db/accountHealth';
import type { Db } from '../db/knex';
import { createShopRepository } from '../db/shops';
import { forecast } from './forecast';
import { computeMetrics, metricsLookbackDays } from './metrics';
import type { AccountHealthReport, HealthViolation, NewHealthViolation, ReserveLevel } from './model';
import { policyReader } from './policyReader';
import { regimeParams, scoreFromViolations } from './score';
import { healthWarnings } from './warnings';

export type * from './model';

const DAY_MS = 86_400_000;
/** Region of a shop not registered (yet): the only region the product runs shops for (policy/regions.ts). */
const DEFAULT_REGION = 'US';

export class InvalidViolationError extends Error {
  override name = 'InvalidViolationError';
}

/** `offendingCap`: how many offending orders each metric lists (default OFFENDING_ORDERS_CAP; an appeal wants all). */
export async function computeAccountHealth(
  deps: { db: Db },
  shopId: string,
  asOf: Date,
  opts: { offendingCap?: number } = {},
): Promise<AccountHealthReport> {
  const repo = createAccountHealthRepository(deps.db);
  const region = (await createShopRepository(deps.db).region(shopId)) ?? DEFAULT_REGION;
  const policy = policyReader(region, asOf);
  const params = regimeParams(policy);
  const horizonDays = policy.row<number>('health.forecastHorizon.days').value;
  const margin = policy.row<number>('health.warningMargin').value;
  const reserve = policy.find<ReserveLevel[]>('reserve.levels');
  const since = new Date(asOf.getTime() - metricsLookbackDays(policy) * DAY_MS);
  const [facts, dispatch, violations, snapshots] = await Promise.all([
    repo.factsSince(shopId, since),
    repo.dispatchFactsSince(shopId, since),
    repo.activeViolations(shopId, asOf),
    repo.history(shopId, new Date(asOf.getTime() - horizonDays * DAY_MS), new Date(asOf.getTime() - DAY_MS)),
  ]);
  const metrics = computeMetrics(policy, { asOf, facts, dispatch, offendingCap: opts.offendingCap });
  const score = scoreFromViolations(params, violations);
  const outlook = forecast({
    asOf,
    horizonDays,
    params,
    score,
    violations,
    metrics,
    snapshots,
    reserveLevels: reserve?.value,
    reserveUnverified: reserve?.uncertain === true,
  });
  return {
    shopId,
    region,
    regime: params.regime,
    asOf: asOf.toISOString(),
    metrics,
    score,
    violations,
    forecast: outlook,
    warnings: healthWarnings({ metrics, score, forecast: outlook, margin }),
    policy: policy.used(),
  };
}

/**
 * Records a violation from a Seller Center notice: it counts from `occurredAt` until the regime's window (in force
 * then) has passed. Points must be positive, and within the published range where the region has one.
 */
export async function recordHealthViolation(deps: { db: Db }, v: NewHealthViolation): Promise<HealthViolation> {
  if (!Number.isInteger(v.points) || v.points <= 0)
    throw new InvalidViolationError(`points must be a positive whole number, not ${v.points}`);
  const region = (await createShopRepository(deps.db).region(v.shopId)) ?? DEFAULT_REGION;
  const policy = policyReader(region, v.occurredAt);
  const params = regimeParams(policy);
  const range = policy.find<Record<string, { min: number; max: number }>>('points48.violationPoints')?.value[v.policy];
  if (params.regime === 'points48' && range && (v.points < range.min || v.points > range.max))
    throw new InvalidViolationError(`${v.policy} costs ${range.min}–${range.max} points in ${region}, not ${v.points}`);
  const expiresAt = new Date(v.occurredAt.getTime() + params.windowDays * DAY_MS);
  return createAccountHealthRepository(deps.db).recordViolation({ ...v, expiresAt });
}
